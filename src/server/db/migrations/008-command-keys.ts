import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * The key the server signs device commands with (Ed25519; src/shared/actions/command-signing.ts). One
 * per installation, shared by every server process, so it lives here: the first process to need it
 * creates it, the others read it (src/server/actions/command-keys.service.ts). Agents pin its public
 * half at enrollment. A row per purpose leaves room for a rotation later.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('command_keys')
    .addColumn('purpose', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
}
