import pg from 'pg';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isLostBeforeRunning, retryingLostConnections } from '../../src/server/db/lost-connection-retry';

/*
 * The race behind a 500 after PostgreSQL ends idle connections: the pool hands out a client whose backend
 * is already gone because the FATAL message has not been read yet. Here it is made certain: the idle
 * client's socket is paused while its backend is terminated, so the pool cannot know when it hands it out.
 */
const url = process.env.DATABASE_URL;

describe('isLostBeforeRunning', () => {
  it('is true for a terminated backend and a client that sent nothing, false for anything else', () => {
    expect(isLostBeforeRunning(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isLostBeforeRunning(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isLostBeforeRunning(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isLostBeforeRunning(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isLostBeforeRunning('57P01')).toBe(false);
  });
});

describe.skipIf(!url)('a pooled connection already dead when handed out [postgres]', () => {
  let pool: pg.Pool | undefined;
  afterEach(async () => pool?.end());

  /** A one-connection pool whose idle client is dead and does not know it yet; resume() lets it read. */
  async function poolWithDeadIdleClient() {
    pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    let last: pg.PoolClient | undefined;
    pool.on('connect', (client) => client.on('error', () => {}));
    pool.on('acquire', (client) => (last = client));
    const retrying = retryingLostConnections(pool);
    const warm = await retrying.connect();
    const pid = (await warm.query<{ pid: number }>('select pg_backend_pid() as pid', [])).rows[0]?.pid;
    warm.release();
    const socket = (last as unknown as { connection: { stream: Socket } }).connection.stream;
    socket.pause();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
      // Termination is asynchronous: wait until the backend is really gone.
      for (let i = 0; i < 100; i++) {
        const left = await admin.query('select 1 from pg_stat_activity where pid = $1', [pid]);
        if (left.rowCount === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await admin.end();
    }
    return { retrying, pid, resume: () => socket.resume() };
  }

  it('runs the first statement of a checkout on a fresh connection', async () => {
    const { retrying, pid, resume } = await poolWithDeadIdleClient();
    const client = await retrying.connect();
    const answer = client.query<{ pid: number }>('select pg_backend_pid() as pid', []);
    resume();
    const row = (await answer).rows[0];
    expect(row?.pid).toBeGreaterThan(0);
    expect(row?.pid).not.toBe(pid);
    client.release();
    // The dead client left the pool: the next checkout is served too.
    const next = await retrying.connect();
    expect((await next.query<{ one: number }>('select 1 as one', [])).rows).toEqual([{ one: 1 }]);
    next.release();
  });

  it('does not retry a later statement: the earlier ones died with their connection', async () => {
    const { retrying, resume } = await poolWithDeadIdleClient();
    const client = await retrying.connect();
    resume();
    // The first statement is retried on a fresh connection, so it is the second that must be lost.
    await client.query('select 1', []);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid', [])).rows[0]?.pid;
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await expect(client.query('select 2', [])).rejects.toThrow(/terminat|not queryable/i);
    client.release();
  });
});
