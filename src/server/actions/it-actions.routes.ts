import type { FastifyRequest } from 'fastify';
import type { DeclaredEndpointName as EndpointName, Endpoints } from '../../shared/api/endpoints';
import type { ResponseIn } from '../../shared/api/endpoint';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve, type EndpointRequest, type ServeOptions } from '../http/endpoint';
import type { App } from '../http/types';
import {
  auditAdminDenial,
  getItCatalog,
  removeEntry,
  removeScript,
  savePackage,
  saveScript,
  saveService,
} from './it-actions.service';

/*
 * Every kind IT authors (allow-listed services and packages, scripts) is the same pair of routes: a PUT
 * that answers 201 when the entry is new and 200 when it changed, and a DELETE that answers 204. So each
 * kind is one declaration below, naming its endpoints (their paths, schemas and guards stay in the
 * endpoint table) and the service calls behind them.
 */

const actorOf = (request: FastifyRequest) => ({ staff: staffOf(request), ip: request.ip });
type Actor = ReturnType<typeof actorOf>;

/** One kind IT authors: its PUT and DELETE endpoints and what they do. */
interface AuthoredKind<P extends EndpointName, D extends EndpointName> {
  put: P;
  delete: D;
  /** Saves the request's entry: the entry as the PUT answers it, and whether it is new. */
  save(
    ctx: ServerContext,
    actor: Actor,
    request: EndpointRequest<P>,
  ): Promise<{ value: ResponseIn<Endpoints[P]>; created: boolean }>;
  /** Removes the request's entry (404 when there is none). */
  remove(ctx: ServerContext, actor: Actor, request: EndpointRequest<D>): Promise<void>;
}

type Register = (app: App, ctx: ServerContext, options: ServeOptions) => void;

/** The registration of a kind's two routes (typed by its own endpoints, so the table can hold every kind). */
function authored<P extends EndpointName, D extends EndpointName>(kind: AuthoredKind<P, D>): Register {
  return (app, ctx, options) => {
    serve(
      app,
      ctx,
      kind.put,
      async (request, reply) => {
        const { value, created } = await kind.save(ctx, actorOf(request), request);
        return reply.status(created ? 201 : 200).send(value);
      },
      options,
    );
    serve(
      app,
      ctx,
      kind.delete,
      async (request, reply) => {
        await kind.remove(ctx, actorOf(request), request);
        return reply.status(204).send(null);
      },
      options,
    );
  };
}

/** Every kind IT authors, one declaration each. */
const AUTHORED_KINDS: readonly Register[] = [
  authored({
    put: 'putItService',
    delete: 'deleteItService',
    save: (ctx, actor, { params, body }) => saveService(ctx, actor, params.id, body),
    remove: (ctx, actor, { params }) => removeEntry(ctx, actor, 'service', params.id),
  }),
  authored({
    put: 'putItPackage',
    delete: 'deleteItPackage',
    save: (ctx, actor, { params, body }) => savePackage(ctx, actor, params.id, body),
    remove: (ctx, actor, { params }) => removeEntry(ctx, actor, 'package', params.id),
  }),
  authored({
    put: 'putItScript',
    delete: 'deleteItScript',
    save: (ctx, actor, { params, body }) => saveScript(ctx, actor, params.slug, body),
    remove: (ctx, actor, { params }) => removeScript(ctx, actor, params.slug),
  }),
];

/** IT's allow-lists and scripts: technicians read them, IT admins change them (a technician's try is audited). */
export async function itActionRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'getItCatalog', async () => getItCatalog(ctx));
  const adminOnly = { beforeGuard: [auditAdminDenial(ctx)] };
  for (const register of AUTHORED_KINDS) register(app, ctx, adminOnly);
}
