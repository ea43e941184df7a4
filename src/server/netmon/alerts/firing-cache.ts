import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { selectFiringIncidents, type IncidentRow } from './alerts.repo';

/*
 * The firing incidents, as each new ticket asks for them (alerts.service.ts linkFiledTicket): read at most
 * every FIRING_CACHE_MS per process, so filing a ticket costs no extra statement in the common case (the
 * submission is one statement after the device lookup: test/server/submission-statement.test.ts). This
 * process forgets its copy whenever it opens, widens or closes an incident; one fired by another process
 * is seen within FIRING_CACHE_MS.
 */

export const FIRING_CACHE_MS = 5_000;

type Db = Kysely<Database>;

const cache = new WeakMap<object, { at: number; rows: IncidentRow[] }>();

export async function firingIncidentsCached(db: Db, now: number): Promise<IncidentRow[]> {
  const held = cache.get(db);
  if (held && now >= held.at && now - held.at < FIRING_CACHE_MS) return held.rows;
  const rows = await selectFiringIncidents(db);
  cache.set(db, { at: now, rows });
  return rows;
}

export function forgetFiringIncidents(db: Db): void {
  cache.delete(db);
}
