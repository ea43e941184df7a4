import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/server/db/database';
import { rowsOf, runProgram, runProgramSync, type StatementProgram } from '../../src/server/db/statement-program';

/*
 * Db.immediate on SQLite: a program's statements in one write transaction with no await inside. Another
 * server process writing the same file waits in SQLite's busy handler (its event loop blocked) for as long
 * as the lock is held, so the lock must be held for the writes alone, never across other requests' work.
 */

let dir: string;
let db: Db;
let other: SqliteDatabase.Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskside-immediate-'));
  db = openDatabase({ url: join(dir, 'db.sqlite') });
  await db.kysely.executeQuery(CompiledQuery.raw('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)'));
  // Another process's connection to the same file: no busy timeout, so a held lock shows at once.
  other = new SqliteDatabase(join(dir, 'db.sqlite'), { timeout: 0 });
});

afterEach(async () => {
  other.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (body: string) => CompiledQuery.raw('INSERT INTO notes (body) VALUES (?) RETURNING id', [body]);
const count = async () =>
  rowsOf<{ n: number }>(await db.kysely.executeQuery(CompiledQuery.raw('SELECT count(*) AS n FROM notes')))[0]?.n;

/** Three inserts, each taking the id of the one before: a program's results flow into its next statement. */
function* threeNotes(): StatementProgram<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) {
    const result = yield insert(`note ${i} after ${ids.at(-1) ?? 'none'}`);
    ids.push(rowsOf<{ id: number }>(result)[0]?.id ?? -1);
  }
  return ids;
}

/**
 * Runs `write` while the other connection tries to take the write lock at every microtask turn until it
 * settles; returns how many tries found the file locked and how many tries were made.
 */
async function triesWhile(write: () => Promise<unknown>): Promise<{ locked: number; tries: number }> {
  let settled = false;
  let locked = 0;
  let tries = 0;
  const probe = async () => {
    while (!settled && tries < 100_000) {
      tries++;
      try {
        other.exec('BEGIN IMMEDIATE');
        other.exec('ROLLBACK');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        locked++;
      }
      await null;
    }
  };
  const probing = probe();
  await write().finally(() => (settled = true));
  await probing;
  return { locked, tries };
}

describe('Db.immediate (SQLite)', () => {
  it('runs a program with no other JavaScript between its statements, where an awaited transaction lets it in', async () => {
    const immediate = db.immediate;
    if (!immediate) throw new Error('SQLite has immediate');
    const sync = await triesWhile(() => immediate((run) => runProgramSync(run, threeNotes())));
    expect(sync.tries).toBeGreaterThan(0);
    expect(sync.locked).toBe(0);

    // The same program awaited statement by statement: the lock is held while other code runs.
    const awaited = await triesWhile(() => db.kysely.transaction().execute((trx) => runProgram(trx, threeNotes())));
    expect(awaited.locked).toBeGreaterThan(0);
    expect(await count()).toBe(6);
  });

  it('hands each statement the result of the one before and returns the program’s value', async () => {
    const ids = await db.immediate?.((run) => runProgramSync(run, threeNotes()));
    expect(ids).toEqual([1, 2, 3]);
    const bodies = other.prepare('SELECT body FROM notes ORDER BY id').pluck().all();
    expect(bodies).toEqual(['note 0 after none', 'note 1 after 1', 'note 2 after 2']);
  });

  it('rolls everything back when the program throws, and the connection takes the next one', async () => {
    function* failing(): StatementProgram<void> {
      yield insert('kept only if committed');
      throw new Error('the second step failed');
    }
    await expect(db.immediate?.((run) => runProgramSync(run, failing()))).rejects.toThrow('the second step failed');
    expect(await count()).toBe(0);
    await db.immediate?.((run) => runProgramSync(run, threeNotes()));
    expect(await count()).toBe(3);
  });

  it('waits for a Kysely transaction open on the same connection instead of nesting in it', async () => {
    let finish = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    const open = db.kysely.transaction().execute(async (trx) => {
      await trx.executeQuery(insert('from the open transaction'));
      await held;
    });
    let ran = false;
    const seen = db.immediate?.((run) => {
      ran = true;
      return rowsOf<{ n: number }>(run(CompiledQuery.raw('SELECT count(*) AS n FROM notes')))[0]?.n;
    });
    // Every pending microtask and one turn of the event loop: enough for it to run, had it not waited.
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toBe(false);
    finish();
    await open;
    expect(await seen).toBe(1);
  });

  it('waits for another process’s write without blocking this process, then writes', async () => {
    other.exec('BEGIN IMMEDIATE');
    let settled = false;
    const write = db.immediate?.((run) => runProgramSync(run, threeNotes())).finally(() => (settled = true));
    // SQLite's own busy handler would hold this thread here until its timeout and then fail the write.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    other.exec('COMMIT');
    expect(await write).toEqual([1, 2, 3]);
  });
});

describe('Kysely transactions on SQLite', () => {
  it('hold the write lock from their start, so a write after a read is never refused for another process’s commit', async () => {
    await db.kysely.executeQuery(insert('before'));
    let otherRefused = false;
    await db.kysely.transaction().execute(async (trx) => {
      await trx.executeQuery(CompiledQuery.raw('SELECT count(*) AS n FROM notes'));
      // Another server process tries to commit between this transaction's read and its write: it has to
      // wait its turn (a transaction that began by reading would instead fail its write, SQLITE_BUSY_SNAPSHOT).
      try {
        other.exec("INSERT INTO notes (body) VALUES ('from the other process')");
      } catch (error) {
        otherRefused = (error as { code?: string }).code === 'SQLITE_BUSY';
      }
      await trx.executeQuery(insert('after reading'));
    });
    expect(otherRefused).toBe(true);
    expect(await count()).toBe(2);
  });
});
