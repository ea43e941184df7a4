import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { retryingLostConnections } from './lost-connection-retry';
import { sendRegisteredByName } from './named-statements';
import type { Database } from './schema';
import type { RunSync } from './statement-program';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the query builder, which dialect it speaks, and how to close it. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  destroy(): Promise<void>;
  /**
   * Where a pooled PostgreSQL connection lost while idle (the database restarted, a network cut, an
   * administrator's pg_terminate_backend) is reported. The pool has already dropped it and the next
   * query opens a new one; without a listener the report is simply dropped, never a crash.
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
}

// BIGINT (epoch ms, counts) arrives as a string by default; every value we store fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

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
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const cached = withStatementCache(sqlite);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  // An embedded database has no connection to lose.
  return {
    kysely,
    dialect: 'sqlite',
    destroy: () => kysely.destroy(),
    onConnectionLost: () => {},
    immediate: (fn) => kysely.connection().execute(async () => inImmediateTransaction(cached, fn)),
  };
}

/** `fn` within BEGIN IMMEDIATE … COMMIT on `db`, its statements run as Kysely's SQLite driver runs them. */
function inImmediateTransaction<T>(db: SqliteDatabase.Database, fn: (run: RunSync) => T): T {
  const run: RunSync = (query) => {
    const statement = db.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
  db.prepare('BEGIN IMMEDIATE').run();
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
