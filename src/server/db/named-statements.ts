import type pg from 'pg';

/*
 * PostgreSQL parses and plans every statement it is sent unless the statement is prepared by name,
 * once per connection. The hot statements (those compiled once, see snapshots/precompiled-query.ts)
 * register their SQL here; a pool client then sends them by name, so only the first run on each
 * connection pays for parsing and planning. Only registered texts are named: a statement with an
 * IN list of varying length would otherwise leave a prepared statement behind for every length.
 */

const names = new Map<string, string>();

/** Marks a SQL text as worth preparing by name on PostgreSQL (harmless for any other dialect's text). */
export function prepareByName(sql: string): void {
  if (!names.has(sql)) names.set(sql, `deskside_${names.size + 1}`);
}

/** The name a registered SQL text is prepared under, or undefined. */
export function statementNameOf(sql: string): string | undefined {
  return names.get(sql);
}

type Query = (...args: unknown[]) => unknown;

/**
 * Makes a pool client send registered statements by name. Kysely calls `client.query(sql, values)`;
 * every other form (config objects, callbacks, cursors) passes through untouched.
 */
export function sendRegisteredByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const named: Query = (text, values, ...rest) => {
    const name = typeof text === 'string' && rest.length === 0 ? names.get(text) : undefined;
    return name && Array.isArray(values) ? query({ name, text, values }) : query(text, values, ...rest);
  };
  client.query = named as typeof client.query;
}
