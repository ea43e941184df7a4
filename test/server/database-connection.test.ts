import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from './harness';

/*
 * PostgreSQL ends a server's idle connections when it restarts, on a network cut, or when an
 * administrator terminates them. node-postgres reports that as an 'error' event of the pool, which
 * ends the process when nobody listens: the server must hear it and keep serving.
 */
const url = process.env.DATABASE_URL;

describe.skipIf(!url)('lost PostgreSQL connections', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer('postgres');
  });
  afterAll(async () => s?.close());

  it('keeps serving after PostgreSQL ends its idle pooled connections', async () => {
    expect((await s.inject({ method: 'GET', url: '/api/v1/staff', headers: s.admin.headers })).statusCode).toBe(200);
    // This server's sessions carry its schema in their application name (other suites run beside it).
    const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(s.db.kysely)).rows[0]
      ?.schema;
    const lost = new Promise<Error>((resolve) => s.db.onConnectionLost(resolve));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const ended = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and state = 'idle'`,
        [`deskside ${schema}`],
      );
      expect(ended.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    expect((await lost).message).toMatch(/terminat/i);
    expect((await s.inject({ method: 'GET', url: '/api/v1/staff', headers: s.admin.headers })).statusCode).toBe(200);
  });

  it('keeps serving when the connection of a transaction in progress is ended between its statements', async () => {
    const lost = new Promise<Error>((resolve) => s.db.onConnectionLost(resolve));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const failed = s.db.kysely.transaction().execute(async (trx) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid;
        // The client is checked out of the pool and waiting for the next statement: not idle.
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await lost;
        await sql`select 1`.execute(trx);
      });
      await expect(failed).rejects.toThrow();
    } finally {
      await admin.end();
    }
    expect((await s.inject({ method: 'GET', url: '/api/v1/staff', headers: s.admin.headers })).statusCode).toBe(200);
  });
});
