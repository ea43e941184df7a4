import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import { startWalCheckpointer } from '../../src/server/db/wal-checkpointer';

/*
 * The server's SQLite connections leave WAL checkpoints (two fsyncs, up to hundreds of ms) to a thread of
 * their own instead of running them on the request that commits.
 */

let dir: string;
let path: string;
let writer: SqliteDatabase.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskside-checkpoint-'));
  path = join(dir, 'db.sqlite');
  writer = new SqliteDatabase(path);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('CREATE TABLE blobs (data BLOB NOT NULL)');
});

afterEach(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

/** ~6 MB committed: more than the 1000 pages at which a connection would checkpoint on commit. */
const writeMegabytes = () => {
  const insert = writer.prepare('INSERT INTO blobs (data) VALUES (?)');
  writer.transaction(() => {
    for (let i = 0; i < 6; i++) insert.run(Buffer.alloc(1024 * 1024, i));
  })();
};

describe('the WAL checkpoint thread', () => {
  it('copies committed pages into the database file while the committing connection does not', async () => {
    writeMegabytes();
    // Committed, still only in the log.
    expect(statSync(path).size).toBeLessThan(1024 * 1024);
    const exits: Error[] = [];
    const checkpointer = startWalCheckpointer(path, (error) => exits.push(error), 10);
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(6 * 1024 * 1024), { timeout: 10_000 });
    await checkpointer.stop();
    expect(exits).toEqual([]);
  });

  it('checkpoints once more when stopped', async () => {
    const checkpointer = startWalCheckpointer(path, () => {}, 60_000);
    writeMegabytes();
    expect(statSync(path).size).toBeLessThan(1024 * 1024);
    await checkpointer.stop();
    expect(statSync(path).size).toBeGreaterThan(6 * 1024 * 1024);
  });

  it('reports a thread that ends on its own', async () => {
    const ended = new Promise<Error>((resolve) =>
      startWalCheckpointer(join(dir, 'no-such-folder', 'db.sqlite'), resolve, 10),
    );
    expect((await ended).message).toMatch(/unable to open|directory does not exist|cannot open/i);
  });

  it('is what the server’s connection uses: it does not checkpoint on commit itself', async () => {
    const db = openDatabase({ url: path, backgroundCheckpoints: true });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db.kysely);
      expect(rows[0]?.wal_autocheckpoint).toBe(0);
    } finally {
      await db.destroy();
    }
    const plain = openDatabase({ url: path });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(plain.kysely);
      expect(rows[0]?.wal_autocheckpoint).toBe(1000);
    } finally {
      await plain.destroy();
    }
  });
});
