import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../db/database';

/*
 * Periodic jobs (SLA evaluation and escalation, maintenance) run in every server instance; each must run in
 * one of them only. On PostgreSQL a job holds a session-level advisory lock on a connection of its own:
 * the instance that gets it runs the job's passes and keeps the lock, the others try again at each of
 * their passes and skip. The lock goes with the connection, so when the holding instance stops or dies,
 * another takes the job over at its next pass. One SQLite file serves one server (its cluster runs the
 * jobs in one worker), so there every pass runs.
 */

/** The lock key of a job: a stable signed 64-bit number from its name. */
export function jobLockKey(name: string): string {
  const hex = createHash('sha256').update(`deskside job ${name}`).digest('hex').slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
}

export interface JobLock {
  /** Whether this instance holds the job (taking it if it is free); never throws. */
  held(): Promise<boolean>;
  /** Lets the job go (stopping). */
  release(): Promise<void>;
}

export function jobLock(db: Db, name: string, onError: (error: unknown) => void = () => {}): JobLock {
  if (db.dialect !== 'postgres' || !db.dedicatedClient) return { held: async () => true, release: async () => {} };
  const key = jobLockKey(name);
  let client: pg.Client | null = null;
  let holding = false;
  const drop = (which: pg.Client) => {
    if (client !== which) return;
    client = null;
    holding = false;
    void which.end().catch(() => {});
  };
  return {
    async held() {
      if (holding && client) return true;
      try {
        if (!client) {
          const next = db.dedicatedClient!();
          next.on('error', (error) => {
            onError(error);
            drop(next);
          });
          await next.connect();
          client = next;
        }
        const { rows } = await client.query<{ got: boolean }>('select pg_try_advisory_lock($1::bigint) as got', [key]);
        holding = rows[0]?.got === true;
        return holding;
      } catch (error) {
        onError(error);
        if (client) drop(client);
        return false;
      }
    },
    async release() {
      const current = client;
      client = null;
      holding = false;
      // Ending the session releases its advisory locks.
      if (current) await current.end().catch(() => {});
    },
  };
}
