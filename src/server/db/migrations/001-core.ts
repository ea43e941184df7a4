import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * The whole first schema. Column types are chosen per dialect where they differ:
 * identity columns, 64-bit integers for epoch milliseconds, and binary data.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const id = pgsql ? 'bigserial' : 'integer';
  const big = pgsql ? 'bigint' : 'integer';
  const blob = pgsql ? 'bytea' : 'blob';
  const idCol = (
    c: Parameters<Parameters<ReturnType<Kysely<unknown>['schema']['createTable']>['addColumn']>[2] & object>[0],
  ) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('staff_users')
    .addColumn('id', id, idCol)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_login_at', big)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', id, idCol)
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_key_at').on('login_attempts').columns(['key', 'at']).execute();

  await db.schema
    .createTable('enroll_secrets')
    .addColumn('id', id, idCol)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('revoked_at', big)
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('machine_id', 'text', (c) => c.notNull().unique())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('os_platform', 'text', (c) => c.notNull())
    .addColumn('os_name', 'text')
    .addColumn('os_version', 'text')
    .addColumn('agent_version', 'text', (c) => c.notNull())
    .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_revoked_at', big)
    .addColumn('enroll_secret_id', big)
    .addColumn('enrolled_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big, (c) => c.notNull())
    .addColumn('health_status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('health_summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_snapshot_id', big)
    .execute();

  await db.schema
    .createTable('snapshots')
    .addColumn('id', id, idCol)
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addColumn('raw_size', 'integer', (c) => c.notNull())
    .addColumn('collected_at', big, (c) => c.notNull())
    .addColumn('received_at', big, (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addUniqueConstraint('snapshots_device_hash', ['device_id', 'hash'])
    .execute();
  await db.schema
    .createIndex('snapshots_device_collected')
    .on('snapshots')
    .columns(['device_id', 'collected_at'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', id, idCol)
    .addColumn('device_id', 'text', (c) => c.references('devices.id').onDelete('set null'))
    .addColumn('requester_name', 'text')
    .addColumn('requester_email', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', big, (c) => c.references('staff_users.id').onDelete('set null'))
    .addColumn('group_name', 'text')
    .addColumn('snapshot_id', big, (c) => c.references('snapshots.id').onDelete('set null'))
    .addColumn('finding_codes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('first_response_at', big)
    .addColumn('resolved_at', big)
    .addColumn('closed_at', big)
    .addColumn('sla_policy_id', big)
    .addColumn('first_response_due_at', big)
    .addColumn('resolution_due_at', big)
    .addColumn('sla_state', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('satisfaction', 'integer')
    .addColumn('satisfaction_comment', 'text')
    .addColumn('last_message_at', big, (c) => c.notNull())
    .addColumn('last_staff_message_id', big)
    .execute();
  // The queue: open work sorted by the next SLA deadline, then priority.
  await db.schema
    .createIndex('tickets_queue')
    .on('tickets')
    .columns(['status', 'resolution_due_at', 'priority', 'id'])
    .execute();
  await db.schema.createIndex('tickets_due').on('tickets').columns(['resolution_due_at', 'priority', 'id']).execute();
  await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee_id', 'status']).execute();
  await db.schema.createIndex('tickets_device').on('tickets').columns(['device_id', 'id']).execute();
  await db.schema.createIndex('tickets_created').on('tickets').column('created_at').execute();
  await db.schema.createIndex('tickets_sla_state').on('tickets').columns(['sla_state', 'status']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('ticket_id', big, (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['device_id', 'key'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', id, idCol)
    .addColumn('ticket_id', big, (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('author_type', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_ticket').on('messages').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', id, idCol)
    .addColumn('ticket_id', big, (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('message_id', big)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_ticket').on('attachments').column('ticket_id').execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', id, idCol)
    .addColumn('priority', 'text', (c) => c.notNull().unique())
    .addColumn('first_response_minutes', 'integer', (c) => c.notNull())
    .addColumn('resolution_minutes', 'integer', (c) => c.notNull())
    .addColumn('business_hours', 'text')
    .addColumn('warning_percent', 'integer', (c) => c.notNull().defaultTo(80))
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('escalation_rules')
    .addColumn('id', id, idCol)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('priorities', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', id, idCol)
    .addColumn('ticket_id', big, (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', id, idCol)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('finding_codes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('target_os', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('target_groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('published_at', big)
    .addColumn('deleted_at', big)
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  if (pgsql) {
    await sql`ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED`.execute(
      db,
    );
    await sql`CREATE INDEX articles_search ON articles USING GIN (search_vector)`.execute(db);
  } else {
    // External-content FTS5 index kept in step with the table by triggers.
    await sql`CREATE VIRTUAL TABLE articles_fts USING fts5(search_text, content='articles', content_rowid='id', tokenize='porter unicode61')`.execute(
      db,
    );
    await sql`CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN INSERT INTO articles_fts(rowid, search_text) VALUES (new.id, new.search_text); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN INSERT INTO articles_fts(articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER articles_au AFTER UPDATE OF search_text ON articles BEGIN INSERT INTO articles_fts(articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO articles_fts(rowid, search_text) VALUES (new.id, new.search_text); END`.execute(
      db,
    );
  }

  await db.schema
    .createTable('announcements')
    .addColumn('id', id, idCol)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('target_os', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('target_groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', big, (c) => c.notNull())
    .addColumn('expires_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('deleted_at', big)
    .execute();

  await db.schema
    .createTable('content_changes')
    .addColumn('id', id, idCol)
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', big, (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('article_events')
    .addColumn('id', id, idCol)
    .addColumn('article_id', big, (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('device_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_events_at').on('article_events').columns(['kind', 'at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', id, idCol)
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}
