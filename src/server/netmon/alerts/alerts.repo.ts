import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type {
  Database,
  NetmonAlertRulesTable,
  NetmonAlertStatesTable,
  NetmonIncidentsTable,
  NetmonIncidentTicketsTable,
  TicketsTable,
} from '../../db/schema';

/* Every query of the alert tables (migration 017), and the one grouped read of recent samples that evaluation needs. */

type Db = Kysely<Database>;

export type RuleRow = Selectable<NetmonAlertRulesTable>;
export type StateRow = Selectable<NetmonAlertStatesTable>;
export type IncidentRow = Selectable<NetmonIncidentsTable>;

export async function selectRules(db: Db, onlyEnabled = false): Promise<RuleRow[]> {
  return db
    .selectFrom('netmon_alert_rules')
    .selectAll()
    .$if(onlyEnabled, (q) => q.where('enabled', '=', 1))
    .orderBy('id')
    .execute();
}

export async function selectRule(db: Db, id: number): Promise<RuleRow | undefined> {
  return db.selectFrom('netmon_alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Db, row: Insertable<NetmonAlertRulesTable>): Promise<RuleRow> {
  return db.insertInto('netmon_alert_rules').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRule(
  db: Db,
  id: number,
  set: Updateable<NetmonAlertRulesTable>,
): Promise<RuleRow | undefined> {
  return db.updateTable('netmon_alert_rules').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteRule(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('netmon_alert_rules').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Per device and target over [from, to]: the counts every metric needs, with the device's current site. */
export interface WindowStats {
  device_id: string;
  target: string;
  site: string | null;
  samples: number;
  answered: number;
  sent: number;
  received: number;
  rtt_n: number;
  rtt_sum_us: number;
}

/** One grouped statement over the raw samples of a window (the primary key's time order and the BRIN/`at` index). */
export async function selectWindowStats(db: Db, from: number, to: number): Promise<WindowStats[]> {
  const rows = await db
    .selectFrom('netmon_samples as s')
    .innerJoin('netmon_sources as src', (j) => j.onRef('src.id', '=', 's.source_id').on('src.kind', '=', 'device'))
    .innerJoin('netmon_targets as t', 't.id', 's.target_id')
    .leftJoin('netmon_device_links as dl', 'dl.source_id', 's.source_id')
    .select((eb) => [
      'src.key as device_id',
      't.key as target',
      'dl.site',
      eb.fn.countAll<number>().as('samples'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('s.received', '>', 0), eb('s.error', 'is', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('answered'),
      eb.fn.sum<number>('s.sent').as('sent'),
      eb.fn.sum<number>('s.received').as('received'),
      eb.fn.count<number>('s.rtt_us').as('rtt_n'),
      eb.fn.coalesce(eb.fn.sum<number>('s.rtt_us'), eb.lit(0)).as('rtt_sum_us'),
    ])
    .where('s.at', '>', from)
    .where('s.at', '<=', to)
    .groupBy(['src.key', 't.key', 'dl.site'])
    .execute();
  return rows.map((r) => ({
    device_id: r.device_id,
    target: r.target,
    site: r.site,
    samples: Number(r.samples),
    answered: Number(r.answered),
    sent: Number(r.sent),
    received: Number(r.received),
    rtt_n: Number(r.rtt_n),
    rtt_sum_us: Number(r.rtt_sum_us),
  }));
}

// States.

export async function selectStates(db: Db): Promise<StateRow[]> {
  return db.selectFrom('netmon_alert_states').selectAll().execute();
}

export async function insertState(db: Db, row: StateRow): Promise<void> {
  await db
    .insertInto('netmon_alert_states')
    .values(row)
    .onConflict((oc) => oc.columns(['rule_id', 'scope_key']).doNothing())
    .execute();
}

export async function updateState(
  db: Db,
  ruleId: number,
  scopeKey: string,
  set: Updateable<NetmonAlertStatesTable>,
): Promise<void> {
  await db
    .updateTable('netmon_alert_states')
    .set(set)
    .where('rule_id', '=', ruleId)
    .where('scope_key', '=', scopeKey)
    .execute();
}

/** The pending scopes' writes of one evaluation pass, made together (most scopes stay pending pass after pass). */
export interface PendingWrites {
  inserts: StateRow[];
  /** New latest values of scopes that stay pending. */
  values: { ruleId: number; scopeKey: string; value: number | null }[];
  deletes: { ruleId: number; scopeKey: string }[];
}

const CHUNK = 1000;

/**
 * Writes a pass's pending-scope changes in one transaction: on PostgreSQL a few statements whatever their
 * number (multi-row insert, an update and a delete joined to `unnest` arrays), on SQLite prepared
 * statements in one transaction (in process, no round trips).
 */
export async function writePendingStates(db: Db, pgsql: boolean, writes: PendingWrites, now: number): Promise<void> {
  if (writes.inserts.length + writes.values.length + writes.deletes.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < writes.inserts.length; i += CHUNK)
      await trx
        .insertInto('netmon_alert_states')
        .values(writes.inserts.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['rule_id', 'scope_key']).doNothing())
        .execute();
    if (pgsql) {
      for (let i = 0; i < writes.values.length; i += 10 * CHUNK) {
        const part = writes.values.slice(i, i + 10 * CHUNK);
        await sql`update netmon_alert_states s set value = v.value, updated_at = ${now}
          from (select unnest(${part.map((w) => w.ruleId)}::int[]) as rule_id,
                       unnest(${part.map((w) => w.scopeKey)}::text[]) as scope_key,
                       unnest(${part.map((w) => w.value)}::float8[]) as value) v
          where s.rule_id = v.rule_id and s.scope_key = v.scope_key and s.state = 'pending'`.execute(trx);
      }
      for (let i = 0; i < writes.deletes.length; i += 10 * CHUNK) {
        const part = writes.deletes.slice(i, i + 10 * CHUNK);
        await sql`delete from netmon_alert_states s
          using (select unnest(${part.map((w) => w.ruleId)}::int[]) as rule_id,
                        unnest(${part.map((w) => w.scopeKey)}::text[]) as scope_key) d
          where s.rule_id = d.rule_id and s.scope_key = d.scope_key and s.state = 'pending'`.execute(trx);
      }
      return;
    }
    for (const w of writes.values)
      await trx
        .updateTable('netmon_alert_states')
        .set({ value: w.value, updated_at: now })
        .where('rule_id', '=', w.ruleId)
        .where('scope_key', '=', w.scopeKey)
        .where('state', '=', 'pending')
        .execute();
    for (const w of writes.deletes)
      await trx
        .deleteFrom('netmon_alert_states')
        .where('rule_id', '=', w.ruleId)
        .where('scope_key', '=', w.scopeKey)
        .where('state', '=', 'pending')
        .execute();
  });
}

export async function deleteState(db: Db, ruleId: number, scopeKey: string): Promise<void> {
  await db.deleteFrom('netmon_alert_states').where('rule_id', '=', ruleId).where('scope_key', '=', scopeKey).execute();
}

export async function deleteStatesOfRule(db: Db, ruleId: number): Promise<void> {
  await db.deleteFrom('netmon_alert_states').where('rule_id', '=', ruleId).execute();
}

// Incidents.

export async function insertIncident(db: Db, row: Insertable<NetmonIncidentsTable>): Promise<IncidentRow> {
  return db.insertInto('netmon_incidents').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateIncident(db: Db, id: number, set: Updateable<NetmonIncidentsTable>): Promise<void> {
  await db.updateTable('netmon_incidents').set(set).where('id', '=', id).execute();
}

/** Moves a firing incident to resolved; false when it was not firing (another process resolved it). */
export async function resolveIncidentRow(db: Db, id: number, at: number, resolution: string): Promise<boolean> {
  const r = await db
    .updateTable('netmon_incidents')
    .set({ state: 'resolved', resolved_at: at, resolution, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'firing')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function selectIncident(db: Db, id: number): Promise<IncidentRow | undefined> {
  return db.selectFrom('netmon_incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function selectFiringIncidents(db: Db): Promise<IncidentRow[]> {
  return db.selectFrom('netmon_incidents').selectAll().where('state', '=', 'firing').orderBy('id').execute();
}

export async function selectIncidents(
  db: Db,
  state: 'firing' | 'resolved' | 'all',
  limit: number,
): Promise<IncidentRow[]> {
  return db
    .selectFrom('netmon_incidents')
    .selectAll()
    .$if(state !== 'all', (q) => q.where('state', '=', state as 'firing' | 'resolved'))
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The incident whose own ticket this is, else the latest one the ticket is linked to. */
export async function selectIncidentOfTicket(
  db: Db,
  ticketId: number,
): Promise<{ role: 'incident' | 'linked'; row: IncidentRow } | null> {
  const own = await db.selectFrom('netmon_incidents').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  if (own) return { role: 'incident', row: own };
  const linked = await db
    .selectFrom('netmon_incidents as i')
    .innerJoin('netmon_incident_tickets as l', 'l.incident_id', 'i.id')
    .selectAll('i')
    .where('l.ticket_id', '=', ticketId)
    .orderBy('i.id', 'desc')
    .executeTakeFirst();
  return linked ? { role: 'linked', row: linked } : null;
}

export async function insertIncidentTickets(db: Db, rows: Insertable<NetmonIncidentTicketsTable>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('netmon_incident_tickets')
    .values(rows)
    .onConflict((oc) => oc.columns(['incident_id', 'ticket_id']).doNothing())
    .returning('ticket_id')
    .execute();
  return inserted.length;
}

export async function selectIncidentTickets(db: Db, incidentIds: number[]) {
  if (incidentIds.length === 0) return [];
  return db
    .selectFrom('netmon_incident_tickets')
    .selectAll()
    .where('incident_id', 'in', incidentIds)
    .orderBy('ticket_id')
    .execute();
}

/** The devices whose latest link places them at a site. */
export async function selectDevicesAtSite(db: Db, site: string): Promise<string[]> {
  const rows = await db.selectFrom('netmon_device_links').select('device_id').where('site', '=', site).execute();
  return rows.map((r) => r.device_id);
}

export async function selectDeviceSite(db: Db, deviceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('netmon_device_links')
    .select('site')
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  return row?.site ?? null;
}

/** Open tickets (not resolved or closed) of these devices created at or after `since`. */
export async function selectOpenTicketsOfDevices(db: Db, deviceIds: string[], since: number) {
  if (deviceIds.length === 0) return [];
  return db
    .selectFrom('tickets')
    .select(['id', 'device_id'])
    .where('device_id', 'in', deviceIds)
    .where('created_at', '>=', since)
    .where('status', 'in', ['new', 'open', 'pending'])
    .orderBy('id')
    .execute();
}

/** The incident's own ticket (no device: the network is the requester). */
export async function insertIncidentTicketRow(db: Db, row: Insertable<TicketsTable>): Promise<number> {
  const { id } = await db.insertInto('tickets').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function selectTicketStatus(db: Db, ticketId: number) {
  return db.selectFrom('tickets').select(['id', 'status']).where('id', '=', ticketId).executeTakeFirst();
}

export async function deletePendingStatesOfRule(db: Db, ruleId: number): Promise<void> {
  await db.deleteFrom('netmon_alert_states').where('rule_id', '=', ruleId).where('state', '=', 'pending').execute();
}

/** An incident announcement's title and audience. */
export async function selectAnnouncementOfIncident(db: Db, id: number) {
  return db.selectFrom('announcements').select(['title', 'target_devices']).where('id', '=', id).executeTakeFirst();
}
