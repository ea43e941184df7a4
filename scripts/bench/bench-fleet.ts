import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/server/auth/crypto';
import type { Db } from '../../src/server/db/database';
import { pathOf } from '../../src/shared/api/endpoint-routes';

/* Helpers the fleet-scale benchmarks share (channel, netmon): devices with known tokens, a staff session. */

/**
 * `count` devices straight into the database with known tokens (enrolling 10,000 over HTTP would measure
 * enrollment): device `i` gets id `idOf(i)`, token `<prefix><i>_…`, hostname `lt-<prefix>-<i>`. Answers the tokens.
 */
export async function seedBenchDevices(
  db: Db,
  count: number,
  prefix: string,
  idOf: (i: number) => string = (i) => `${prefix}-${i}`,
): Promise<string[]> {
  const tokens: string[] = [];
  const now = Date.now();
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const token = `${prefix}${i}_${randomBytes(12).toString('base64url')}`;
      tokens.push(token);
      rows.push({
        id: idOf(i),
        machine_id: `${prefix}-machine-${i}`,
        hostname: `lt-${prefix}-${i}`,
        os_platform: 'linux',
        os_name: 'Debian',
        os_version: '12',
        agent_version: 'bench',
        groups: '[]',
        token_hash: hashToken(token),
        token_revoked_at: null,
        enroll_secret_id: null,
        enrolled_at: now,
        last_seen_at: now,
        health_status: 'unknown' as const,
        health_summary: '{}',
        last_snapshot_id: null,
      });
    }
    await db.kysely.insertInto('devices').values(rows).execute();
  }
  return tokens;
}

/** Signs a staff member in; answers the session cookie and CSRF headers (throws when refused). */
export async function staffSession(
  url: string,
  credentials: { email: string; password: string },
): Promise<Record<string, string>> {
  const login = await fetch(`${url}${pathOf('login')}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = (await login.json()) as { csrfToken: string; signedIn?: boolean };
  if (login.status !== 200 || body.signedIn === false) throw new Error(`${credentials.email} could not sign in`);
  return { cookie: String(login.headers.get('set-cookie')).split(';')[0] ?? '', 'x-csrf-token': body.csrfToken };
}
