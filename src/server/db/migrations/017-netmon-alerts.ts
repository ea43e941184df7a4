import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Network-monitoring alerts (issue 14, "alerts that act"):
 *
 * - `netmon_alert_rules`: IT's rules (the definition as JSON, src/shared/api/netmon-alerts.ts), and the
 *   webhook secret apart so no DTO carries it.
 * - `netmon_alert_states`: one row per rule and scope key that is not ok (pending or firing), with the
 *   times the hysteresis needs: since when the condition holds, since when it has been clearly false.
 * - `netmon_incidents`: what a firing opened: its incident ticket, its announcement, the affected devices.
 *   A partial unique index keeps one firing incident per rule and scope key, whatever the processes.
 * - `netmon_incident_tickets`: tickets linked to an incident (the affected devices' and the employees' filed
 *   while it fires).
 * - `announcements.target_devices`: a JSON array of device ids an announcement is limited to (null: no such
 *   limit), so an incident's announcement reaches the affected agents only.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';
  const real = pgsql ? 'double precision' : 'real';
  const id = (t: ReturnType<typeof db.schema.createTable>) =>
    t.addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('netmon_alert_rules'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON: the rule as IT defined it, without the webhook secret. */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('webhook_secret', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('staff_users.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('netmon_alert_states')
    .addColumn('rule_id', 'integer', (c) => c.notNull().references('netmon_alert_rules.id').onDelete('cascade'))
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    /** When the condition became true (pending since). */
    .addColumn('bad_since', big, (c) => c.notNull())
    /** Firing: when the condition became clearly false (null while it holds). */
    .addColumn('good_since', big)
    .addColumn('incident_id', 'integer')
    .addColumn('value', real)
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('netmon_alert_states_pk', ['rule_id', 'scope_key'])
    .execute();

  await id(db.schema.createTable('netmon_incidents'))
    .addColumn('rule_id', 'integer', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('scope_name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('threshold', real, (c) => c.notNull())
    .addColumn('value', real)
    .addColumn('peak', real)
    /** JSON array of the affected device ids (grows while it fires). */
    .addColumn('affected', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('announcement_id', 'integer', (c) => c.references('announcements.id').onDelete('set null'))
    .addColumn('started_at', big, (c) => c.notNull())
    .addColumn('resolved_at', big)
    .addColumn('resolution', 'text')
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await sql`create unique index netmon_incidents_firing on netmon_incidents (rule_id, scope_key) where state = 'firing'`.execute(
    db,
  );
  await db.schema
    .createIndex('netmon_incidents_state')
    .on('netmon_incidents')
    .columns(['state', 'started_at'])
    .execute();
  await db.schema.createIndex('netmon_incidents_ticket').on('netmon_incidents').column('ticket_id').execute();

  await db.schema
    .createTable('netmon_incident_tickets')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('netmon_incidents.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('device_id', 'text')
    /** `affected` (a ticket of an affected device when it fired) or `filed` (filed while it fired). */
    .addColumn('how', 'text', (c) => c.notNull())
    .addColumn('linked_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('netmon_incident_tickets_pk', ['incident_id', 'ticket_id'])
    .execute();
  await db.schema
    .createIndex('netmon_incident_tickets_ticket')
    .on('netmon_incident_tickets')
    .column('ticket_id')
    .execute();

  await db.schema.alterTable('announcements').addColumn('target_devices', 'text').execute();
}
