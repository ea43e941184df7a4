import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Screen share (issue 13): the signaling messages of a WebRTC session, each kept until the server process
 * holding its recipient (the device's live channel, or the console's signaling socket) takes it. Any process
 * may hold either end, so a signal goes through the database and a small event names the session; a signal
 * sent before its recipient is there waits. A session's rows are deleted when its console side closes.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  await db.schema
    .createTable('share_signals')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('session_id', 'text', (c) => c.notNull().references('remote_sessions.id').onDelete('cascade'))
    .addColumn('to_side', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', pgsql ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('taken_at', pgsql ? 'bigint' : 'integer')
    .execute();
  await db.schema
    .createIndex('share_signals_session')
    .on('share_signals')
    .columns(['session_id', 'to_side', 'id'])
    .execute();
}
