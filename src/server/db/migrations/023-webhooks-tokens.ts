import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Webhooks and API tokens (issue 15):
 *
 * - `webhooks`: where events go, which events (JSON array), the format, and the signing secret. The secret
 *   is kept as is (not hashed): the server needs it to sign every body; it leaves the server only in the
 *   answers of create and rotate.
 * - `webhook_deliveries`: one row per (webhook, source event), unique, so the feed reading an event twice
 *   or two processes enqueueing it make one delivery; the job posts pending rows whose time has come.
 * - `api_tokens`: SHA-256 of each token (never the token), its scopes (JSON array), expiry and revocation.
 *   A service token acts through a service account of its own in `staff_users` (`service` = 1, no usable
 *   password), so what it does is attributed to it (`token:<name>`) with the same foreign keys as a person.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';
  const id = (t: ReturnType<typeof db.schema.createTable>) =>
    t.addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('webhooks'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('staff_users.id').onDelete('set null'))
    .execute();

  await id(db.schema.createTable('webhook_deliveries'))
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    /** What caused it (`ticket_event:12`, `device:<id>:enrolled:<at>`, `test:<uuid>`): the idempotency key. */
    .addColumn('source_id', 'text', (c) => c.notNull())
    /** The generic JSON envelope; Slack and Teams bodies are rendered from it at send time. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', big)
    .addColumn('last_attempt_at', big)
    .addColumn('response_status', 'integer')
    .addColumn('response_excerpt', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_source')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'source_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_log')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'id'])
    .execute();

  await db.schema
    .alterTable('staff_users')
    .addColumn('service', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await id(db.schema.createTable('api_tokens'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    /** Who the token acts as: the staff member (personal) or the service account (service). */
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('staff_users.id').onDelete('set null'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big)
    .addColumn('revoked_at', big)
    .addColumn('last_used_at', big)
    .execute();
  await db.schema.createIndex('api_tokens_staff').on('api_tokens').columns(['staff_id']).execute();
}
