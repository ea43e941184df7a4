import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { enrollRequestSchema, enrollResponseSchema } from '../../shared/api/devices';
import { commandPublicKey } from '../actions/command-keys.service';
import { hashToken, randomToken } from '../auth/crypto';
import { deviceAuthCacheOf } from '../auth/device-auth-cache';
import type { ServerContext } from '../context';
import { unauthorized } from '../errors';
import { upsertDevice } from './devices.repo';
import { incrementEnrollSecretUses, selectEnrollSecretByHash } from './enroll-secrets.repo';
import { API_TOKEN_PREFIX } from '../../shared/integrations';
import { enqueueDeviceEnrolled } from '../webhooks/webhook-other-events';

type EnrollBody = Omit<z.output<typeof enrollRequestSchema>, 'enrollSecret'>;

/**
 * Enrolls a device with an enrollment secret: 401 invalid_enroll_secret when it is unknown or revoked.
 * The answer carries the server's command-signing key, which the agent pins.
 */
export async function enroll(
  ctx: Pick<ServerContext, 'db' | 'now' | 'config'> & Partial<Pick<ServerContext, 'bus'>>,
  body: z.output<typeof enrollRequestSchema>,
): Promise<z.output<typeof enrollResponseSchema>> {
  const secret = await selectEnrollSecretByHash(ctx.db.kysely, hashToken(body.enrollSecret));
  if (!secret || secret.revoked_at !== null)
    throw unauthorized('The enrollment secret is invalid or revoked', 'invalid_enroll_secret');
  const { enrollSecret: _secret, ...device } = body;
  const registered = await registerDevice(ctx, secret.id, device);
  return { ...registered, commandKey: await commandPublicKey(ctx) };
}

/**
 * Registers a device and gives it a new token (shown once; stored hashed). Re-enrolling the same
 * machine (reinstall, lost token) keeps its id and history and rotates the token.
 */
export async function registerDevice(
  ctx: Pick<ServerContext, 'db' | 'now'> & Partial<Pick<ServerContext, 'config' | 'bus'>>,
  enrollSecretId: number | null,
  b: EnrollBody,
): Promise<{ deviceId: string; deviceToken: string }> {
  let token = randomToken();
  // API tokens are told apart by their prefix: a device token never starts with it (1 in 16 million would).
  while (token.startsWith(API_TOKEN_PREFIX)) token = randomToken();
  const now = ctx.now();
  const deviceId = await upsertDevice(
    ctx.db.kysely,
    { id: randomUUID(), machine_id: b.machineId, enrolled_at: now },
    {
      hostname: b.hostname,
      os_platform: b.os.platform,
      os_name: b.os.name,
      os_version: b.os.version,
      agent_version: b.agentVersion,
      groups: JSON.stringify(b.groups),
      token_hash: hashToken(token),
      token_revoked_at: null,
      enroll_secret_id: enrollSecretId,
      last_seen_at: now,
    },
  );
  // Enrolling again rotated the token: the old one is refused from the next request, in every process.
  if (ctx.bus) {
    deviceAuthCacheOf(ctx.bus).forgetDevice(deviceId);
    ctx.bus.publish({ kind: 'device-token', deviceId });
  }
  if (enrollSecretId !== null) await incrementEnrollSecretUses(ctx.db.kysely, enrollSecretId);
  if (ctx.config) {
    const config = ctx.config;
    await enqueueDeviceEnrolled({ config, now: () => now }, ctx.db.kysely, {
      id: deviceId,
      hostname: b.hostname,
      osName: b.os.name,
      osVersion: b.os.version,
      platform: b.os.platform,
      agentVersion: b.agentVersion,
      groups: b.groups,
    });
  }
  return { deviceId, deviceToken: token };
}
