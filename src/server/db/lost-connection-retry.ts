import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/*
 * A pooled PostgreSQL connection can die while it waits idle in the pool: the database restarted, an
 * administrator ran pg_terminate_backend, a network cut. The pool drops it once its socket says so, but
 * that can come after the pool has handed it out again (termination is asynchronous on the database's
 * side, and the FATAL message is only read on a later tick). Without help the request that drew it
 * fails with a 500 although a new connection would have served it.
 *
 * So the first statement on a checked-out client is tried once more on a fresh connection when it failed
 * because the connection was already gone — and only then: an error that proves the statement did not
 * run (the backend was terminated or is shutting down, which rolls back whatever it was doing, or the
 * client was no longer queryable and sent nothing). A later statement (inside a transaction, whose
 * earlier work died with the connection) and any other error go to the caller unchanged.
 */

/** SQLSTATEs of a backend ended under the client: admin_shutdown, crash_shutdown, cannot_connect_now. */
const ENDED_BACKEND = new Set(['57P01', '57P02', '57P03']);

/** Whether the error says the statement never ran because its connection was already gone. */
export function isLostBeforeRunning(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && ENDED_BACKEND.has(code)) return true;
  // node-postgres refuses to send on a client whose connection failed (nothing went out).
  return /not queryable/i.test(error.message);
}

type Query = (sql: string, parameters: readonly unknown[]) => Promise<PostgresQueryResult<unknown>>;

/** Kysely's pool, over node-postgres', with the one retry described above. */
export function retryingLostConnections(pool: pg.Pool): PostgresPool {
  return {
    end: () => pool.end(),
    async connect(): Promise<PostgresPoolClient> {
      let client = await pool.connect();
      let first = true;
      const query = (sql: string, parameters: readonly unknown[]) =>
        (client.query as unknown as Query)(sql, parameters);
      const checkedOut: PostgresPoolClient = {
        query: ((sqlOrCursor: string | PostgresCursor<unknown>, parameters: readonly unknown[]) => {
          if (typeof sqlOrCursor !== 'string') {
            first = false;
            return (client.query as unknown as (cursor: PostgresCursor<unknown>) => PostgresCursor<unknown>)(
              sqlOrCursor,
            );
          }
          if (!first) return query(sqlOrCursor, parameters);
          first = false;
          return query(sqlOrCursor, parameters).catch(async (error: unknown) => {
            if (!isLostBeforeRunning(error)) throw error;
            // Released with its error, the pool destroys the dead client instead of keeping it.
            client.release(error as Error);
            client = await pool.connect();
            return query(sqlOrCursor, parameters);
          });
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      return checkedOut;
    },
  };
}
