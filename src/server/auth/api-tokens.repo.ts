import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, Database } from '../db/schema';

/* The api_tokens table (SHA-256 of each token; never the token) and service accounts in staff_users. */

export type ApiTokenRow = Selectable<ApiTokensTable>;
export type ApiTokenListRow = ApiTokenRow & { created_by_name: string | null };

/** A token by its hash, with the account it acts as. */
export async function selectTokenWithStaff(db: Kysely<Database>, hash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('staff_users', 'staff_users.id', 'api_tokens.staff_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.kind',
      'api_tokens.name as token_name',
      'api_tokens.token_hash',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'staff_users.id',
      'staff_users.email',
      'staff_users.name',
      'staff_users.role',
      'staff_users.group_name',
      'staff_users.active',
    ])
    .where('api_tokens.token_hash', '=', hash)
    .executeTakeFirst();
}

export async function touchToken(db: Kysely<Database>, id: number, at: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function insertToken(db: Kysely<Database>, row: Insertable<ApiTokensTable>): Promise<ApiTokenRow> {
  return db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow();
}

function listQuery(db: Kysely<Database>) {
  return db
    .selectFrom('api_tokens')
    .leftJoin('staff_users as creator', 'creator.id', 'api_tokens.created_by')
    .selectAll('api_tokens')
    .select('creator.name as created_by_name');
}

/** A staff member's personal tokens, newest first. */
export async function selectPersonalTokens(db: Kysely<Database>, staffId: number): Promise<ApiTokenListRow[]> {
  return listQuery(db)
    .where('api_tokens.kind', '=', 'personal')
    .where('api_tokens.staff_id', '=', staffId)
    .orderBy('api_tokens.id', 'desc')
    .execute();
}

export async function selectServiceTokens(db: Kysely<Database>): Promise<ApiTokenListRow[]> {
  return listQuery(db).where('api_tokens.kind', '=', 'service').orderBy('api_tokens.id', 'desc').execute();
}

export async function selectTokenById(db: Kysely<Database>, id: number): Promise<ApiTokenListRow | undefined> {
  return listQuery(db).where('api_tokens.id', '=', id).executeTakeFirst();
}

/** Revokes a live token; false when it was already revoked or does not exist. */
export async function revokeTokenRow(db: Kysely<Database>, id: number, at: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Whether a live (not revoked) service token has this name. */
export async function serviceTokenNameTaken(db: Kysely<Database>, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('kind', '=', 'service')
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Boolean(row);
}
