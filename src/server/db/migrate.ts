import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db, Dialect } from './database';
import * as core from './migrations/001-core';
import * as queue from './migrations/002-queue';
import * as settings from './migrations/003-settings';
import * as channel from './migrations/004-channel';
import * as fleet from './migrations/006-fleet';
import * as presence from './migrations/007-presence';
import * as commandKeys from './migrations/008-command-keys';
import * as deviceCommands from './migrations/009-device-commands';
import * as localActions from './migrations/011-local-actions';
import * as remoteSessions from './migrations/013-remote-sessions';
import * as shareSignals from './migrations/014-screenshare-signals';
import * as itActions from './migrations/015-it-actions';
import * as netmon from './migrations/016-netmon';
import * as netmonAlerts from './migrations/017-netmon-alerts';
import * as eventFeed from './migrations/018-event-feed';
import * as mailOut from './migrations/019-mail-out';
import * as netmonRollupIndex from './migrations/021-netmon-rollup-index';
import * as netmonTicketSummaries from './migrations/022-netmon-ticket-summaries';
import * as webhooksTokens from './migrations/023-webhooks-tokens';
import * as mailIn from './migrations/024-mail-in';
import * as netmonRollupSpans from './migrations/025-netmon-rollup-spans';
import * as requesterEmailIndex from './migrations/026-requester-email-index';
import * as mailListenerTls from './migrations/027-mail-listener-tls';
import * as outboxMessageId from './migrations/028-outbox-message-id';
import * as dropUnusedTicketIndexes from './migrations/029-drop-unused-ticket-indexes';

type DialectMigration = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

/** Every migration, in order. Append; never edit one that has shipped. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '001-core': core,
  '002-queue': queue,
  '003-settings': settings,
  '004-channel': channel,
  '006-fleet': fleet,
  '007-presence': presence,
  '008-command-keys': commandKeys,
  '009-device-commands': deviceCommands,
  '011-local-actions': localActions,
  '013-remote-sessions': remoteSessions,
  '014-screenshare-signals': shareSignals,
  '015-it-actions': itActions,
  '016-netmon': netmon,
  '017-netmon-alerts': netmonAlerts,
  '018-event-feed': eventFeed,
  '019-mail-out': mailOut,
  '021-netmon-rollup-index': netmonRollupIndex,
  '022-netmon-ticket-summaries': netmonTicketSummaries,
  '023-webhooks-tokens': webhooksTokens,
  '024-mail-in': mailIn,
  '025-netmon-rollup-spans': netmonRollupSpans,
  '026-requester-email-index': requesterEmailIndex,
  '027-mail-listener-tls': mailListenerTls,
  '028-outbox-message-id': outboxMessageId,
  '029-drop-unused-ticket-indexes': dropUnusedTicketIndexes,
};

/** Brings the schema up to date; safe to run at every start and from several processes at once. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return applied(await (await migrator(db)).migrateToLatest());
}

/** Brings the schema up to the migration `name` (tests of a migration over data of the schema before it). */
export async function migrateUpTo(db: Db, name: keyof typeof MIGRATIONS): Promise<string[]> {
  return applied(await (await migrator(db)).migrateTo(name));
}

async function migrator(db: Db): Promise<Migrator> {
  const provider: MigrationProvider = {
    async getMigrations() {
      return Object.fromEntries(
        Object.entries(MIGRATIONS).map(([name, m]): [string, Migration] => [name, { up: (k) => m.up(k, db.dialect) }]),
      );
    },
  };
  // Kysely looks for its own tables in every schema unless told which: with several schemas in one
  // database (isolated test runs, tenants) it would find another schema's and never create its own.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ name: string }>`select current_schema() as name`.execute(db.kysely)).rows[0]?.name
      : undefined;
  // Kysely's migrator takes a lock (an advisory lock on PostgreSQL), so concurrent starts are safe.
  return new Migrator({
    db: db.kysely as Kysely<unknown>,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

function applied({ error, results }: MigrationResultSet): string[] {
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
