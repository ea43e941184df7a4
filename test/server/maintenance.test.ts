import { afterAll, beforeAll, expect, it } from 'vitest';
import { IDEMPOTENCY_RETENTION_MS, runMaintenance } from '../../src/server/maintenance.job';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

describeEachDatabase('maintenance', (dialect) => {
  let s: TestServer;
  beforeAll(async () => (s = await createTestServer(dialect)));
  afterAll(() => s.close());

  it('prunes dead sessions, old login attempts and expired idempotency keys, and keeps the live ones', async () => {
    const device = await s.enroll();
    const oldTicket = await fileTicket(s, device);
    const newTicket = await fileTicket(s, device);
    const now = s.clock.now;
    await s.db.kysely
      .updateTable('idempotency_keys')
      .set({ created_at: now - IDEMPOTENCY_RETENTION_MS - 1 })
      .where('ticket_id', '=', oldTicket)
      .execute();
    const idle = await s.staff('technician');
    await s.db.kysely
      .insertInto('login_attempts')
      .values([
        { key: 'email:x@example.com', at: now - 16 * 60_000 },
        { key: 'email:y@example.com', at: now - 60_000 },
      ])
      .execute();
    await s.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: now - 31 * 60_000 })
      .where('user_id', '=', idle.id)
      .execute();

    const removed = await runMaintenance(s.ctx);
    expect(removed).toEqual({ sessions: 1, loginAttempts: 1, idempotencyKeys: 1 });
    const keys = await s.db.kysely.selectFrom('idempotency_keys').select('ticket_id').execute();
    expect(keys.map((k) => k.ticket_id)).toEqual([newTicket]);
    expect((await s.inject({ method: 'GET', url: '/api/v1/auth/session', headers: s.admin.headers })).statusCode).toBe(
      200,
    );
    expect(await runMaintenance(s.ctx)).toEqual({ sessions: 0, loginAttempts: 0, idempotencyKeys: 0 });
  });
});
