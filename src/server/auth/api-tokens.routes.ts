import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import {
  createPersonalToken,
  createServiceToken,
  listPersonalTokens,
  listServiceTokens,
  revokePersonalToken,
  revokeServiceToken,
} from './api-tokens.service';
import { staffOf } from './guards';

/*
 * API token management. Every one of these is session-only (token-scopes.ts: the `api-tokens` domain):
 * a token that could mint tokens would let one leak outlive its revocation and its expiry, and one that
 * could list or revoke them would let a thief lock out the owner. The guard refuses tokens with 403.
 */
export async function apiTokenRoutes(app: App, ctx: ServerContext): Promise<void> {
  const log = (request: Parameters<typeof staffOf>[0], action: string, id: number, details: Record<string, unknown>) =>
    audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action,
      targetType: 'api_token',
      targetId: id,
      details,
      ip: request.ip,
    });

  serve(app, ctx, 'listMyTokens', async (request) => ({ tokens: await listPersonalTokens(ctx, staffOf(request)) }));

  serve(app, ctx, 'createMyToken', async (request, reply) => {
    const created = await createPersonalToken(ctx, staffOf(request), request.body);
    await log(request, 'api_token.create', created.id, {
      kind: 'personal',
      name: created.name,
      scopes: created.scopes,
    });
    return reply.status(201).send(created);
  });

  serve(app, ctx, 'revokeMyToken', async (request) => {
    const token = await revokePersonalToken(ctx, staffOf(request), request.params.id);
    await log(request, 'api_token.revoke', token.id, { kind: 'personal', name: token.name });
    return token;
  });

  serve(app, ctx, 'listServiceTokens', async () => ({ tokens: await listServiceTokens(ctx) }));

  serve(app, ctx, 'createServiceToken', async (request, reply) => {
    const created = await createServiceToken(ctx, staffOf(request), request.body);
    await log(request, 'api_token.create', created.id, {
      kind: 'service',
      name: `token:${created.name}`,
      scopes: created.scopes,
      expiresAt: created.expiresAt,
    });
    return reply.status(201).send(created);
  });

  serve(app, ctx, 'revokeServiceToken', async (request) => {
    const token = await revokeServiceToken(ctx, request.params.id);
    await log(request, 'api_token.revoke', token.id, { kind: 'service', name: `token:${token.name}` });
    return token;
  });
}
