import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql, type Driver } from 'kysely';
import pg from 'pg';
import { retryingLostConnections } from './lost-connection-retry';
import { sendRegisteredByName } from './named-statements';
import type { Database } from './schema';
import type { RunSync } from './statement-program';
import { JOURNAL_SIZE_LIMIT, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the query builder, which dialect it speaks, and how to close it. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  destroy(): Promise<void>;
  /**
   * Where a part of the connection lost and already recovered from is reported: a pooled PostgreSQL
   * connection lost while idle (the database restarted, a network cut, an administrator's
   * pg_terminate_backend; the next query opens a new one), or SQLite's checkpoint thread (commits
   * checkpoint again). Without a listener the report is simply dropped, never a crash.
   */
  onConnectionLost(listener: (error: Error) => void): void;
  /**
   * PostgreSQL only: a new connection outside the pool, with the pool's settings (schema, name), for a
   * session that must stay open, such as LISTEN. The caller connects and ends it.
   */
  dedicatedClient?(): pg.Client;
  /**
   * SQLite only: runs `fn` inside one write transaction (BEGIN IMMEDIATE … COMMIT, rolled back when it
   * throws) with no await anywhere in it, so the file's write lock is held for the statements alone (see
   * statement-program.ts). Waits its turn on the connection like any Kysely query.
   */
  immediate?<T>(fn: (run: RunSync) => T): Promise<T>;
}

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; otherwise a SQLite file path (or ':memory:'). */
  url: string;
  /** PostgreSQL schema to use (tests isolate themselves in a fresh one). */
  schema?: string;
  poolSize?: number;
  /**
   * SQLite file: checkpoints on a thread of their own instead of on the committing request (see
   * wal-checkpointer.ts). For the server; a short-lived command keeps SQLite's default.
   */
  backgroundCheckpoints?: boolean;
}

// BIGINT (epoch ms, counts) arrives as a string by default; every value we store fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** SQLite's own wal_autocheckpoint. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** How long a SQLite statement waits for another process's write lock (in SQLite's busy handler, blocking). */
const BUSY_TIMEOUT_MS = 5000;

/** Opens SQLite (WAL, foreign keys on) or a PostgreSQL pool, by the shape of the URL. */
export function openDatabase(options: DatabaseOptions): Db {
  if (/^postgres(ql)?:\/\//.test(options.url)) {
    const settings: pg.ClientConfig = {
      connectionString: options.url,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      // Named in pg_stat_activity, so an administrator (or a test) can tell this server's sessions apart.
      application_name: options.schema ? `deskside ${options.schema}` : 'deskside',
    };
    const pool = new pg.Pool({ ...settings, max: options.poolSize ?? 10 });
    // Before the pool hands the client out: the hot statements go by name from its first query on.
    pool.on('connect', sendRegisteredByName);
    // A connection that dies emits 'error' on its client, and the pool repeats it for an idle one:
    // unheard, either would end the whole server. Every client is heard from its first connect (a
    // client held between a transaction's statements is not idle); the pool's repeat is not reported
    // twice. The pool drops a client that failed when it comes back, and the next query reconnects; a
    // first statement that drew a client already dead is tried once more on a fresh one.
    let lost: (error: Error) => void = () => {};
    pool.on('connect', (client) => client.on('error', (error) => lost(error)));
    pool.on('error', () => {});
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: retryingLostConnections(pool) }) });
    return {
      kysely,
      dialect: 'postgres',
      destroy: () => kysely.destroy(),
      onConnectionLost: (listener) => (lost = listener),
      dedicatedClient: () => new pg.Client(settings),
    };
  }
  const path = options.url.replace(/^sqlite:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  // A log that grew in a burst shrinks back to this when it starts over (wal-checkpointer.ts).
  sqlite.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  let lost: (error: Error) => void = () => {};
  let checkpointer: WalCheckpointer | undefined;
  if (options.backgroundCheckpoints && path !== ':memory:') {
    sqlite.pragma('wal_autocheckpoint = 0');
    checkpointer = startWalCheckpointer(path, (error) => {
      sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
      lost(new Error(`SQLite's checkpoint thread ended; commits checkpoint again: ${error.message}`));
    });
  }
  const cached = withStatementCache(sqlite);
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(cached) });
  return {
    kysely,
    dialect: 'sqlite',
    destroy: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
    onConnectionLost: (listener) => (lost = listener),
    immediate: (fn) => kysely.connection().execute(() => inImmediateTransaction(cached, fn)),
  };
}

/**
 * `fn` within BEGIN IMMEDIATE … COMMIT on `db` (rolled back when it throws), its statements run as Kysely's
 * SQLite driver runs them.
 */
async function inImmediateTransaction<T>(db: SqliteDatabase.Database, fn: (run: RunSync) => T): Promise<T> {
  const run: RunSync = (query) => {
    const statement = db.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
  const waiting = beginImmediate(db);
  if (waiting) await waiting;
  try {
    const result = fn(run);
    db.prepare('COMMIT').run();
    return result;
  } catch (error) {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    throw error;
  }
}

/**
 * Every transaction on SQLite takes the write lock when it begins. A transaction that began by reading
 * (SQLite's default, BEGIN DEFERRED) and writes after another server process committed would be refused
 * (SQLITE_BUSY_SNAPSHOT, no waiting helps): with `--workers`, a spurious failure of any read-then-write.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #db: SqliteDatabase.Database;
  constructor(db: SqliteDatabase.Database) {
    super({ database: db });
    this.#db = db;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#db);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #db: SqliteDatabase.Database;
  constructor(db: SqliteDatabase.Database) {
    super({ database: db });
    this.#db = db;
  }
  override async beginTransaction(): Promise<void> {
    await beginImmediate(this.#db);
  }
}

/**
 * BEGIN IMMEDIATE. While another process holds the write lock, it is tried again on a later turn of the
 * event loop instead of in SQLite's busy handler, which would sleep with this process's event loop blocked:
 * the process serves its other requests meanwhile. After busy_timeout, a last try waits as SQLite does.
 */
function beginImmediate(db: SqliteDatabase.Database): Promise<void> | undefined {
  // Begun at once, nothing to await: no turn of the event loop between BEGIN and the first statement.
  if (tryBeginImmediate(db, false)) return undefined;
  const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
  return (async () => {
    // The next turn first (the holder is usually done by then), then every millisecond.
    await new Promise((resolve) => setImmediate(resolve));
    while (!tryBeginImmediate(db, Date.now() >= giveUpAt)) await new Promise((resolve) => setTimeout(resolve, 1));
  })();
}

/** BEGIN IMMEDIATE without waiting: false while another process writes; the last try waits as busy_timeout says. */
function tryBeginImmediate(db: SqliteDatabase.Database, last: boolean): boolean {
  if (last) {
    db.prepare('BEGIN IMMEDIATE').run();
    return true;
  }
  db.prepare('PRAGMA busy_timeout = 0').get();
  try {
    db.prepare('BEGIN IMMEDIATE').run();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  } finally {
    db.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).get();
  }
}

/**
 * Kysely prepares every query anew; preparing costs more than running most of ours. Statements are
 * reused by their SQL text (better-sqlite3 is synchronous, so one statement is never used twice at once).
 */
function withStatementCache(db: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          let statement = cache.get(source);
          if (!statement) {
            // Queries with IN lists of varying length each have their own text: keep the cache bounded.
            if (cache.size >= 1000) cache.clear();
            statement = prepare(source);
            cache.set(source, statement);
          }
          return statement;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Whether an error is a unique-constraint violation, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Creates a PostgreSQL schema (for isolated tests) and returns its name. */
export async function createPgSchema(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/** Drops a PostgreSQL schema created by createPgSchema. */
export async function dropPgSchema(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${name.replace(/"/g, '')}" CASCADE`);
  } finally {
    await client.end();
  }
}

export { sql };
