import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type {
  AgentAnnouncementDto,
  AnnouncementDto,
  ContentStatus,
  createAnnouncementRequestSchema,
  updateAnnouncementRequestSchema,
} from '../../shared/api/articles';
import type { ServerContext } from '../context';
import type { AnnouncementsTable } from '../db/schema';
import { badRequest, notFound } from '../errors';
import { auditIn, inContentTransaction, recordChange, type Actor, type Trx } from './content-changes';
import { parseStringArray } from '../db/json-columns';

/*
 * Announcement storage: rows ↔ API shapes, writes with their sync-log and audit entries, and the
 * time boundaries (start, expiry) that change what agents see without anyone writing.
 */

/** An announcement row as stored. */
export type AnnouncementRow = Selectable<AnnouncementsTable>;
type CreateInput = z.output<typeof createAnnouncementRequestSchema>;
type UpdateInput = z.output<typeof updateAnnouncementRequestSchema>;

const iso = (ms: number) => new Date(ms).toISOString();

/** Published, started and not yet expired. */
export function isActive(row: AnnouncementRow, now: number): boolean {
  return (
    row.deleted_at === null &&
    row.status === 'published' &&
    row.starts_at <= now &&
    (row.expires_at === null || row.expires_at > now)
  );
}

/** The staff view of a row. */
export function toAnnouncementDto(row: AnnouncementRow, now: number): AnnouncementDto {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    severity: row.severity,
    targeting: {
      os: parseStringArray(row.target_os) as AnnouncementDto['targeting']['os'],
      groups: parseStringArray(row.target_groups),
    },
    status: row.status,
    startsAt: iso(row.starts_at),
    expiresAt: row.expires_at === null ? null : iso(row.expires_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    active: isActive(row, now),
  };
}

/** The agent's view of a row. */
export function toAgentAnnouncementDto(row: AnnouncementRow): AgentAnnouncementDto {
  const { id, title, body, severity, startsAt, expiresAt, updatedAt } = toAnnouncementDto(row, 0);
  return { id, title, body, severity, startsAt, expiresAt, updatedAt };
}

/** A live (not deleted) announcement, or 404. */
export async function getAnnouncement(ctx: Pick<ServerContext, 'db'>, id: number): Promise<AnnouncementRow> {
  const row = await ctx.db.kysely
    .selectFrom('announcements')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('Announcement');
  return row;
}

/** Loads rows by id, deleted ones included. */
export async function loadAnnouncements(ctx: Pick<ServerContext, 'db'>, ids: number[]): Promise<AnnouncementRow[]> {
  return ctx.db.kysely.selectFrom('announcements').selectAll().where('id', 'in', ids).execute();
}

/** Staff list: live announcements, newest start first. */
export async function listAnnouncements(
  ctx: Pick<ServerContext, 'db'>,
  filter: { status?: ContentStatus; limit: number; offset: number },
): Promise<{ rows: AnnouncementRow[]; total: number }> {
  let query = ctx.db.kysely.selectFrom('announcements').where('deleted_at', 'is', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('starts_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

async function lockLive(trx: Trx, id: number): Promise<AnnouncementRow> {
  const row = await trx
    .selectFrom('announcements')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('Announcement');
  return row;
}

/** Creates an announcement; it starts now unless told otherwise. */
export async function createAnnouncement(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  input: CreateInput,
): Promise<AnnouncementRow> {
  const now = ctx.now();
  const startsAt = input.startsAt === undefined ? now : Date.parse(input.startsAt);
  const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && expiresAt <= startsAt)
    throw badRequest('invalid_expiry', 'expiresAt must be after startsAt');
  return inContentTransaction(ctx, async (trx) => {
    const row = await trx
      .insertInto('announcements')
      .values({
        title: input.title,
        body: input.body,
        severity: input.severity,
        target_os: JSON.stringify(input.targeting.os),
        target_groups: JSON.stringify(input.targeting.groups),
        status: input.status,
        starts_at: startsAt,
        expires_at: expiresAt,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, 'announcement', row.id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'announcement.create',
      targetType: 'announcement',
      targetId: row.id,
      details: { title: row.title, severity: row.severity, status: row.status },
      ip: actor.ip,
    });
    return row;
  });
}

/** Changes an announcement; expiresAt must stay after startsAt (400 invalid_expiry). */
export async function updateAnnouncement(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  id: number,
  input: UpdateInput,
): Promise<AnnouncementRow> {
  const now = ctx.now();
  return inContentTransaction(ctx, async (trx) => {
    const current = await lockLive(trx, id);
    const startsAt = input.startsAt === undefined ? current.starts_at : Date.parse(input.startsAt);
    const expiresAt =
      input.expiresAt === undefined
        ? current.expires_at
        : input.expiresAt === null
          ? null
          : Date.parse(input.expiresAt);
    if (expiresAt !== null && expiresAt <= startsAt)
      throw badRequest('invalid_expiry', 'expiresAt must be after startsAt');
    const row = await trx
      .updateTable('announcements')
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.severity !== undefined ? { severity: input.severity } : {}),
        ...(input.targeting
          ? { target_os: JSON.stringify(input.targeting.os), target_groups: JSON.stringify(input.targeting.groups) }
          : {}),
        starts_at: startsAt,
        expires_at: expiresAt,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, 'announcement', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'announcement.update',
      targetType: 'announcement',
      targetId: id,
      details: { fields: Object.keys(input) },
      ip: actor.ip,
    });
    return row;
  });
}

/** Publishes or unpublishes; asking for the current state changes nothing. */
export async function setAnnouncementStatus(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  id: number,
  status: ContentStatus,
): Promise<AnnouncementRow> {
  const now = ctx.now();
  return inContentTransaction(ctx, async (trx) => {
    const current = await lockLive(trx, id);
    if (current.status === status) return current;
    const row = await trx
      .updateTable('announcements')
      .set({ status, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, 'announcement', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: `announcement.${status === 'published' ? 'publish' : 'unpublish'}`,
      targetType: 'announcement',
      targetId: id,
      ip: actor.ip,
    });
    return row;
  });
}

/** Soft-deletes, so that sync can tell agents to drop it. */
export async function deleteAnnouncement(
  ctx: Pick<ServerContext, 'db' | 'now'>,
  actor: Actor,
  id: number,
): Promise<void> {
  const now = ctx.now();
  await inContentTransaction(ctx, async (trx) => {
    const result = await trx
      .updateTable('announcements')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('Announcement');
    await recordChange(trx, 'announcement', id, 'delete', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'announcement.delete',
      targetType: 'announcement',
      targetId: id,
      ip: actor.ip,
    });
  });
}
