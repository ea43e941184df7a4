import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from '../db/schema';

/* The webhooks and webhook_deliveries tables. */

type Executor = Kysely<Database> | Transaction<Database>;
export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export async function selectWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('name').orderBy('id').execute();
}

export async function selectWebhook(db: Executor, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Active webhooks whose event list names `event` (filtered here: the list is JSON text). */
export async function selectSubscribers(db: Executor, event: string): Promise<WebhookRow[]> {
  const rows = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('active', '=', 1)
    .where('events', 'like', `%"${event}"%`)
    .execute();
  return rows;
}

export async function insertWebhook(db: Executor, row: Insertable<WebhooksTable>): Promise<WebhookRow> {
  return db.insertInto('webhooks').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateWebhookRow(
  db: Executor,
  id: number,
  changes: Updateable<WebhooksTable>,
): Promise<WebhookRow | undefined> {
  return db.updateTable('webhooks').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteWebhookRow(db: Executor, id: number): Promise<boolean> {
  // Deliveries first: SQLite enforces the cascade only with foreign keys on, PostgreSQL always.
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Inserts deliveries; one that exists for its (webhook, source) is left as it is (idempotent enqueue). */
export async function insertDeliveries(db: Executor, rows: Insertable<WebhookDeliveriesTable>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['webhook_id', 'source_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function insertDelivery(
  db: Executor,
  row: Insertable<WebhookDeliveriesTable>,
): Promise<DeliveryRow | undefined> {
  return db.insertInto('webhook_deliveries').values(row).returningAll().executeTakeFirst();
}

export async function selectDelivery(db: Executor, id: number): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Pending deliveries whose time has come, oldest first. */
export async function selectDueDeliveries(db: Executor, now: number, limit: number): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims a due delivery for one attempt by moving its next time past the attempt's timeout; false when
 * another pass took it first (so two passes never post the same attempt).
 */
export async function claimDelivery(db: Executor, row: DeliveryRow, until: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: until })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', row.next_attempt_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Claims a delivery that has not succeeded for a manual retry now (a failed one gets one more attempt);
 * false when a pass or another click took it first.
 */
export async function claimForRetry(db: Executor, row: DeliveryRow, until: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: until })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where((eb) =>
      row.next_attempt_at === null
        ? eb('next_attempt_at', 'is', null)
        : eb('next_attempt_at', '=', row.next_attempt_at),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateDelivery(
  db: Executor,
  id: number,
  changes: Updateable<WebhookDeliveriesTable>,
): Promise<DeliveryRow | undefined> {
  return db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

/** A webhook's deliveries, newest first. */
export async function selectDeliveries(
  db: Executor,
  webhookId: number,
  options: { limit: number; status?: DeliveryRow['status'] },
): Promise<DeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (options.status) query = query.where('status', '=', options.status);
  return query.orderBy('id', 'desc').limit(options.limit).execute();
}

/** Each webhook's newest delivery (for the list). */
export async function selectLatestDeliveries(db: Executor): Promise<Map<number, DeliveryRow>> {
  const latest = db
    .selectFrom('webhook_deliveries')
    .select((eb) => [eb.fn.max('id').as('id')])
    .groupBy('webhook_id');
  const rows = await db.selectFrom('webhook_deliveries').selectAll().where('id', 'in', latest).execute();
  return new Map(rows.map((r) => [r.webhook_id, r]));
}
