import type { CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';
import type { Db } from './database';
import type { Database } from './schema';

/*
 * A short run of statements written once and run two ways: awaited statement by statement on any Kysely
 * executor, or all at once, synchronously, inside one SQLite transaction (Db.immediate). The program is a
 * generator that yields each compiled statement and gets its result back, so its logic (which statement
 * comes next, what it takes from the one before) exists once for both.
 *
 * Why SQLite needs the second way: on a Kysely transaction every statement is awaited, and the continuations
 * of other requests run in between while the write lock is held. Another server process that wants to write
 * meanwhile waits in SQLite's busy handler, which sleeps with that process's event loop blocked (1, 2, 5,
 * 10 ms …): the long tail of submissions with two workers on one file. Run synchronously, the lock is held
 * only for the writes themselves.
 */

/** Statements in order; each `yield` gives the statement and receives its result. */
export type StatementProgram<T> = Generator<CompiledQuery, T, QueryResult<unknown>>;

/** Runs a compiled statement now and returns its result (inside Db.immediate's transaction). */
export type RunSync = (query: CompiledQuery) => QueryResult<unknown>;

/** Runs a program on a Kysely executor (the root, or the caller's transaction), one awaited statement at a time. */
export async function runProgram<T>(
  db: Kysely<Database> | Transaction<Database>,
  program: StatementProgram<T>,
): Promise<T> {
  let step = program.next();
  while (!step.done) {
    const result = await db.executeQuery(step.value);
    step = program.next(result);
  }
  return step.value;
}

/** Runs a program to its end with no await between its statements (give it Db.immediate's runner). */
export function runProgramSync<T>(run: RunSync, program: StatementProgram<T>): T {
  let step = program.next();
  while (!step.done) step = program.next(run(step.value));
  return step.value;
}

/**
 * Runs a program as one transaction: on SQLite synchronously (Db.immediate), elsewhere awaited statement by
 * statement in a Kysely transaction. `program` is called once per run.
 */
export function runInTransaction<T>(db: Db, program: () => StatementProgram<T>): Promise<T> {
  const { immediate } = db;
  return immediate
    ? immediate((run) => runProgramSync(run, program()))
    : db.kysely.transaction().execute((trx) => runProgram(trx, program()));
}

/** The rows a yielded statement returned, as the caller knows them to be. */
export function rowsOf<R>(result: QueryResult<unknown>): R[] {
  return result.rows as R[];
}
