import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { enrollRequestSchema } from '../../shared/api/devices';
import { hashToken, randomToken } from '../auth/crypto';
import type { ServerContext } from '../context';

type EnrollBody = Omit<z.output<typeof enrollRequestSchema>, 'enrollSecret'>;

/**
 * Registers a device and gives it a new token (shown once; stored hashed). Re-enrolling the same
 * machine (reinstall, lost token) keeps its id and history and rotates the token.
 */
export async function registerDevice(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  enrollSecretId: number | null,
  b: EnrollBody,
): Promise<{ deviceId: string; deviceToken: string }> {
  const token = randomToken();
  const now = ctx.now();
  const values = {
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
  };
  const row = await ctx.db.kysely
    .insertInto('devices')
    .values({
      id: randomUUID(),
      machine_id: b.machineId,
      enrolled_at: now,
      health_status: 'unknown',
      health_summary: '{}',
      last_snapshot_id: null,
      ...values,
    })
    .onConflict((oc) => oc.column('machine_id').doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  if (enrollSecretId !== null)
    await ctx.db.kysely
      .updateTable('enroll_secrets')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('id', '=', enrollSecretId)
      .execute();
  return { deviceId: row.id, deviceToken: token };
}
