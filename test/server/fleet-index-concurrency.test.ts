import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catchUpFleetIndex } from '../../src/server/fleet/fleet-index.service';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import { createTestServer, type TestServer } from './harness';

/*
 * Several server processes write one SQLite file (`--workers`). The fleet index job reads a device's stored
 * snapshot and unpacks it on the thread pool before writing its index rows: in a transaction that read
 * first, another process's commit in that gap made SQLite refuse the write (SQLITE_BUSY_SNAPSHOT), so under
 * a steady stream of submissions a pass failed at its first device and the index never caught up.
 */

describe('the fleet index beside another process writing the same SQLite file', () => {
  let dir: string;
  let s: TestServer;
  let other: SqliteDatabase.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'deskside-fleet-'));
    const file = join(dir, 'deskside.db');
    s = await createTestServer('sqlite', {}, { sqliteFile: file });
    other = new SqliteDatabase(file, { timeout: 5000 });
    other.pragma('synchronous = NORMAL');
    other.exec('CREATE TABLE other_process_writes (at INTEGER NOT NULL)');
  });

  afterEach(async () => {
    other.close();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes every device while the other process commits at every turn of the event loop', async () => {
    const devices = await Promise.all([s.enroll(), s.enroll(), s.enroll()]);
    for (const device of devices) {
      const res = await s.inject({
        method: 'POST',
        url: '/api/v1/snapshots',
        headers: device.headers,
        payload: healthySnapshot(),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // Another server process committing all the time (its own writes, not these devices').
    let writing = true;
    let commits = 0;
    const write = () => {
      if (!writing) return;
      other.prepare('INSERT INTO other_process_writes (at) VALUES (?)').run(commits++);
      setImmediate(write);
    };
    write();
    try {
      expect(await catchUpFleetIndex(s.db)).toBe(3);
    } finally {
      writing = false;
    }
    expect(commits).toBeGreaterThan(3);
    const indexed = await s.db.kysely.selectFrom('device_inventory').select('device_id').execute();
    expect(indexed.map((r) => r.device_id).sort()).toEqual(devices.map((d) => d.id).sort());
  });
});
