import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import { JOURNAL_SIZE_LIMIT, startWalCheckpointer } from '../../src/server/db/wal-checkpointer';

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
    const checkpointer = startWalCheckpointer(path, (error) => exits.push(error), { intervalMs: 10 });
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(6 * 1024 * 1024), { timeout: 10_000 });
    await checkpointer.stop();
    expect(exits).toEqual([]);
  });

  it('checkpoints once more when stopped', async () => {
    const checkpointer = startWalCheckpointer(path, () => {}, { intervalMs: 60_000 });
    writeMegabytes();
    expect(statSync(path).size).toBeLessThan(1024 * 1024);
    await checkpointer.stop();
    expect(statSync(path).size).toBeGreaterThan(6 * 1024 * 1024);
  });

  it('keeps the log bounded under a steady stream of commits: it restarts it once it holds restartFrames', async () => {
    writer.pragma('journal_size_limit = 0');
    const walPath = `${path}-wal`;
    const insert = writer.prepare('INSERT INTO blobs (data) VALUES (?)');
    const commit = writer.transaction((i: number) => insert.run(Buffer.alloc(64 * 1024, i % 256)));
    const checkpointer = startWalCheckpointer(path, () => {}, { intervalMs: 50, restartFrames: 256 });
    let largest = 0;
    try {
      // 1,000 commits of 64 KB, one a millisecond (64 MB of log): each PASSIVE checkpoint has more to copy
      // than the gap between two commits, so the log is never wholly copied back when a transaction begins.
      for (let i = 0; i < 1000; i++) {
        commit.immediate(i);
        largest = Math.max(largest, statSync(walPath).size);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      await checkpointer.stop();
    }
    expect(writer.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 1000 });
    // PASSIVE alone: the file held every frame (75 MB). Restarted: a few MB (3 MB measured).
    expect(largest).toBeLessThan(16 * 1024 * 1024);
  });

  it('does not keep holding writers off while a reader keeps the log from starting over', async () => {
    const insert = writer.prepare('INSERT INTO blobs (data) VALUES (?)');
    const commit = writer.transaction((i: number) => insert.run(Buffer.alloc(64 * 1024, i % 256)));
    for (let i = 0; i < 20; i++) commit(i);
    // A long read on another connection: the log cannot start over while it lasts, whatever the checkpoint does.
    const reader = new SqliteDatabase(path);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM blobs').get();
    const checkpointer = startWalCheckpointer(path, () => {}, { intervalMs: 20, restartFrames: 16 });
    const stalls: number[] = [];
    try {
      // 0.8 s of commits (within the first back-off): each RESTART would hold them off for its whole wait (100 ms)
      // every 20 ms.
      const until = performance.now() + 800;
      for (let i = 0; performance.now() < until; i++) {
        const started = performance.now();
        // BEGIN IMMEDIATE, as the server's connections begin (a deferred one is refused rather than kept waiting).
        commit.immediate(i);
        const took = performance.now() - started;
        if (took > 50) stalls.push(Math.round(took));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    } finally {
      await checkpointer.stop();
      reader.exec('COMMIT');
      reader.close();
    }
    // One RESTART finds the reader and the thread then leaves the log be for a while.
    expect(stalls.length).toBeLessThanOrEqual(1);
  });

  it('reports a thread that ends on its own', async () => {
    const ended = new Promise<Error>((resolve) =>
      startWalCheckpointer(join(dir, 'no-such-folder', 'db.sqlite'), resolve, { intervalMs: 10 }),
    );
    expect((await ended).message).toMatch(/unable to open|directory does not exist|cannot open/i);
  });

  it('is what the server’s connection uses: it does not checkpoint on commit itself', async () => {
    const db = openDatabase({ url: path, backgroundCheckpoints: true });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db.kysely);
      expect(rows[0]?.wal_autocheckpoint).toBe(0);
      const limit = await sql<{ journal_size_limit: number }>`PRAGMA journal_size_limit`.execute(db.kysely);
      expect(limit.rows[0]?.journal_size_limit).toBe(JOURNAL_SIZE_LIMIT);
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
