import { CompiledQuery, type Compilable, type Kysely, type QueryResult, type Transaction } from 'kysely';
import { prepareByName } from '../db/named-statements';
import type { Database } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

/*
 * Kysely builds and compiles every query on every call: tens of microseconds for the larger ones,
 * several times per ticket submission. The hot statements of that path are compiled once per
 * database (dialect) with sentinel values instead, and later runs only swap the real values into
 * the parameter list. A query whose sentinels do not come out as plain parameters (inlined,
 * transformed, or missing) is refused when first compiled, so the fast form cannot silently differ.
 * On PostgreSQL the compiled text is also prepared by name on each connection (db/named-statements.ts).
 */

const SENTINEL = '\u0000deskside-param:';

interface Plan {
  sql: string;
  /** Per parameter: the name of the value to put there, or a constant the builder added. */
  slots: ({ name: string } | { constant: unknown })[];
}

/** A query compiled once per database and run with named values. */
export interface PrecompiledQuery<P extends object, R> {
  /** Runs the query on `db` (the root Kysely or a transaction of it); `key` identifies the database. */
  execute(key: object, db: Executor, values: P): Promise<QueryResult<R>>;
  /** The query with these values, to run later (a statement of a db/statement-program.ts program). */
  compile(key: object, db: Executor, values: P): CompiledQuery<R>;
}

/**
 * Wraps a query builder function so that it is compiled once per `key` (use the Db object) with
 * sentinel values for `names`; throws on first use if any value does not end up as a parameter.
 */
export function precompile<P extends object, R>(
  names: readonly (keyof P & string)[],
  build: (db: Executor, values: P) => Compilable<R>,
): PrecompiledQuery<P, R> {
  const plans = new WeakMap<object, Plan>();
  const planFor = (key: object, db: Executor): Plan => {
    const cached = plans.get(key);
    if (cached) return cached;
    const sentinels = Object.fromEntries(names.map((name) => [name, `${SENTINEL}${name}`])) as unknown as P;
    const compiled = build(db, sentinels).compile();
    if (compiled.sql.includes(SENTINEL))
      throw new Error(`precompile: a value was inlined into the SQL: ${compiled.sql}`);
    const slots = compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL) ? { name: p.slice(SENTINEL.length) } : { constant: p },
    );
    for (const name of names)
      if (!slots.some((s) => 'name' in s && s.name === name))
        throw new Error(`precompile: value ${name} is not a parameter of ${compiled.sql}`);
    for (const s of slots)
      if ('constant' in s && typeof s.constant === 'string' && s.constant.includes(SENTINEL))
        throw new Error('precompile: a value was transformed');
    const plan = { sql: compiled.sql, slots };
    plans.set(key, plan);
    prepareByName(plan.sql);
    return plan;
  };
  const compile = (key: object, db: Executor, values: P): CompiledQuery<R> => {
    const plan = planFor(key, db);
    const parameters = plan.slots.map((s) => ('name' in s ? (values as Record<string, unknown>)[s.name] : s.constant));
    return CompiledQuery.raw(plan.sql, parameters) as CompiledQuery<R>;
  };
  return {
    // async: a refused plan rejects the promise, as a failing query would.
    execute: async (key, db, values) => db.executeQuery(compile(key, db, values)),
    compile,
  };
}
