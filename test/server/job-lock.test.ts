import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobLock, jobLockKey } from '../../src/server/jobs/job-lock';
import { startMaintenanceJob } from '../../src/server/maintenance.job';
import { startSlaJob } from '../../src/server/sla/sla.job';
import * as slaEvaluate from '../../src/server/sla/sla-evaluate.service';
import { createTestServer, type TestServer } from './harness';
import type { SecondProcess } from './multi-process';

const PG = process.env.DATABASE_URL;

/*
 * The periodic jobs run in one server instance of several: two instances over one PostgreSQL schema,
 * each starting the jobs; only one evaluates SLAs at each pass, and when it stops the other takes over.
 */
describe.skipIf(!PG)('periodic jobs across server instances (PostgreSQL advisory locks)', () => {
  let s: TestServer;
  let b: SecondProcess;
  beforeAll(async () => {
    s = await createTestServer('postgres');
    const { secondProcess } = await import('./multi-process');
    b = await secondProcess(s);
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('gives a job to one instance at a time, and to another once it lets go', async () => {
    const a = jobLock(s.db, 'test-job');
    const other = jobLock(b.ctx.db, 'test-job');
    expect(await a.held()).toBe(true);
    expect(await other.held()).toBe(false);
    expect(await a.held()).toBe(true);
    expect(await other.held()).toBe(false);
    await a.release();
    expect(await other.held()).toBe(true);
    expect(await a.held()).toBe(false);
    await other.release();
    expect(jobLockKey('sla')).not.toBe(jobLockKey('maintenance'));
  });

  it('moves the job to another instance when the holder dies (its connection ends)', async () => {
    const a = jobLock(s.db, 'dies');
    const other = jobLock(b.ctx.db, 'dies');
    expect(await a.held()).toBe(true);
    expect(await other.held()).toBe(false);
    // The holder's session is cut (a crash, a network cut): PostgreSQL frees its locks.
    await sql`select pg_terminate_backend(pid) from pg_locks
              where locktype = 'advisory' and granted and pid <> pg_backend_pid()
                and ((classid::bigint << 32) | objid::bigint) = ${jobLockKey('dies')}::bigint`.execute(s.db.kysely);
    await expect.poll(() => other.held(), { timeout: 5000 }).toBe(true);
    await other.release();
    await a.release();
  });

  it('runs SLA passes in one of two instances started at once, and maintenance likewise', async () => {
    const evaluate = vi.spyOn(slaEvaluate, 'evaluateSla');
    const stops = [startSlaJob(s.ctx, 50), startSlaJob(b.ctx, 50)];
    const maintenance = [startMaintenanceJob(s.ctx, 50), startMaintenanceJob(b.ctx, 50)];
    try {
      await expect.poll(() => evaluate.mock.calls.length, { timeout: 5000 }).toBeGreaterThanOrEqual(6);
      const contexts = new Set(evaluate.mock.calls.map(([ctx]) => ctx));
      expect(contexts.size).toBe(1);
    } finally {
      await Promise.all([...stops, ...maintenance].map((stop) => stop()));
      evaluate.mockRestore();
    }
  });
});
