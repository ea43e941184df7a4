import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { text } from '../../shared/text/text-schema';
import {
  enrollRequestSchema,
  enrollResponseSchema,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
} from '../../shared/api/devices';
import { apiErrorSchema } from '../../shared/api/errors';
import { audit } from '../audit/audit.service';
import { hashToken } from '../auth/crypto';
import { deviceOf, requireDevice, requireStaff, staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { notFound, unauthorized } from '../errors';
import type { App } from '../http/types';
import { registerDevice } from './enroll.service';
import { createEnrollSecret, listEnrollSecrets, revokeEnrollSecret } from './enroll-secrets';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const secretInfo = z.object({
  id: z.number(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  uses: z.number(),
});

/** Device enrollment, heartbeat, token revocation, and enrollment-secret administration. */
export async function enrollRoutes(app: App, ctx: ServerContext): Promise<void> {
  app.post(
    '/api/v1/enroll',
    {
      schema: {
        tags: ['devices'],
        summary: 'Enroll a device with an enrollment secret',
        body: enrollRequestSchema,
        response: { 201: enrollResponseSchema, 401: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const secret = await ctx.db.kysely
        .selectFrom('enroll_secrets')
        .select(['id', 'revoked_at'])
        .where('secret_hash', '=', hashToken(b.enrollSecret))
        .executeTakeFirst();
      if (!secret || secret.revoked_at !== null)
        throw unauthorized('The enrollment secret is invalid or revoked', 'invalid_enroll_secret');
      const { enrollSecret: _secret, ...device } = b;
      return reply.status(201).send(await registerDevice(ctx, secret.id, device));
    },
  );

  app.post(
    '/api/v1/devices/heartbeat',
    {
      onRequest: requireDevice(ctx),
      schema: {
        tags: ['devices'],
        summary: 'Device heartbeat with health summary',
        body: heartbeatRequestSchema,
        response: { 200: heartbeatResponseSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      const now = ctx.now();
      const { health } = request.body;
      // A device's health is that of its latest snapshot, the findings its page lists. The agent's own
      // summary only stands in until a first snapshot arrives (its "unknown" before any check included).
      const beforeFirstSnapshot = (eb: ExpressionBuilder<Database, 'devices'>) =>
        eb.case().when('last_snapshot_id', 'is', null);
      await ctx.db.kysely
        .updateTable('devices')
        .set((eb) => ({
          last_seen_at: now,
          agent_version: request.body.agentVersion,
          health_status: beforeFirstSnapshot(eb).then(eb.val(health.status)).else(eb.ref('health_status')).end(),
          health_summary: beforeFirstSnapshot(eb)
            .then(eb.val(JSON.stringify(health)))
            .else(eb.ref('health_summary'))
            .end(),
        }))
        .where('id', '=', device.id)
        .execute();
      return { serverTime: new Date(now).toISOString() };
    },
  );

  app.post(
    '/api/v1/devices/:deviceId/revoke',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['devices'],
        summary: "Revoke a device's token (admin)",
        params: z.object({ deviceId: z.uuid() }),
        response: { 204: z.null(), 404: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const result = await ctx.db.kysely
        .updateTable('devices')
        .set({ token_revoked_at: ctx.now() })
        .where('id', '=', request.params.deviceId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound('Device');
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'device.revoke',
        targetType: 'device',
        targetId: request.params.deviceId,
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/enroll-secrets',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['devices'],
        summary: 'List enrollment secrets (admin)',
        response: { 200: z.object({ secrets: z.array(secretInfo) }) },
      },
    },
    async () => ({ secrets: await listEnrollSecrets(ctx.db) }),
  );

  app.post(
    '/api/v1/enroll-secrets',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['devices'],
        summary: 'Create an enrollment secret (admin); shown once',
        body: z.object({ name: text().trim().min(1).max(100) }),
        response: { 201: z.object({ id: z.number(), secret: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await createEnrollSecret(ctx.db, request.body.name, ctx.now());
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'enroll_secret.create',
        targetType: 'enroll_secret',
        targetId: created.id,
        ip: request.ip,
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/v1/enroll-secrets/:id',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['devices'],
        summary: 'Revoke an enrollment secret (admin)',
        params: idParams,
        response: { 204: z.null(), 404: apiErrorSchema },
      },
    },
    async (request, reply) => {
      if (!(await revokeEnrollSecret(ctx.db, request.params.id, ctx.now()))) throw notFound('Enrollment secret');
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'enroll_secret.revoke',
        targetType: 'enroll_secret',
        targetId: request.params.id,
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
