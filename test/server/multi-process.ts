import { sql } from 'kysely';
import { buildApp } from '../../src/server/app';
import { serverConfigSchema } from '../../src/server/config';
import type { ServerContext } from '../../src/server/context';
import { openDatabase } from '../../src/server/db/database';
import type { App } from '../../src/server/http/types';
import type { TestServer } from './harness';

/** Another server "process" on the same PostgreSQL schema: its own pool, app and context. */
export interface SecondProcess {
  ctx: ServerContext;
  inject: App['inject'];
  close(): Promise<void>;
}

/**
 * Opens a second database pool and app over the schema the test server uses, sharing its fake
 * clock, the way a second server process would share the database. PostgreSQL only: an in-memory
 * SQLite database cannot be shared.
 */
export async function secondProcess(s: TestServer): Promise<SecondProcess> {
  if (s.db.dialect !== 'postgres' || !process.env.DATABASE_URL)
    throw new Error('secondProcess needs PostgreSQL (DATABASE_URL)');
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(s.db.kysely);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('no current schema');
  const db = openDatabase({ url: process.env.DATABASE_URL, schema, poolSize: 8 });
  const { app, ctx } = await buildApp({
    db,
    config: serverConfigSchema.parse({ logLevel: 'silent' }),
    now: () => s.clock.now,
  });
  return {
    ctx,
    inject: app.inject.bind(app),
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
