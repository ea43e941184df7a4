import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { precompile } from '../../src/server/snapshots/precompiled-query';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';

describeEachDatabase('precompiled queries', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
  });
  afterAll(() => s.close());

  it('runs with fresh values each time, on the root and inside a transaction, like the builder would', async () => {
    const device = await s.enroll();
    const q = precompile<{ id: string; version: string }, { agent_version: string }>(['id', 'version'], (db, v) =>
      db.updateTable('devices').set({ agent_version: v.version }).where('id', '=', v.id).returning('agent_version'),
    );
    const first = await q.execute(s.db, s.db.kysely, { id: device.id, version: '9.9.1' });
    expect(first.rows).toEqual([{ agent_version: '9.9.1' }]);
    await s.db.kysely.transaction().execute(async (trx) => {
      expect((await q.execute(s.db, trx, { id: device.id, version: '9.9.2' })).rows).toEqual([
        { agent_version: '9.9.2' },
      ]);
    });
    expect((await q.execute(s.db, s.db.kysely, { id: 'no-such-device', version: '1' })).rows).toEqual([]);
    const row = await s.db.kysely
      .selectFrom('devices')
      .select('agent_version')
      .where('id', '=', device.id)
      .executeTakeFirstOrThrow();
    expect(row.agent_version).toBe('9.9.2');
  });

  it('refuses a query whose value is inlined into the SQL or left out', async () => {
    const inlined = precompile<{ version: string }, never>(['version'], (db, v) =>
      db
        .updateTable('devices')
        .set({ agent_version: sql.lit(v.version) })
        .where('id', '=', 'x'),
    );
    await expect(inlined.execute(s.db, s.db.kysely, { version: '1' })).rejects.toThrow(/inlined/);
    const unused = precompile<{ version: string; id: string }, never>(['version', 'id'], (db, v) =>
      db.updateTable('devices').set({ agent_version: v.version }).where('id', '=', 'x'),
    );
    await expect(unused.execute(s.db, s.db.kysely, { version: '1', id: 'y' })).rejects.toThrow(/not a parameter/);
  });
});
