import type { z } from 'zod';
import type {
  AgentAnnouncementDto,
  AnnouncementDto,
  AnnouncementSyncResponse,
  ContentStatus,
} from '../../shared/api/articles';
import type {
  createAnnouncementRequestSchema,
  listAnnouncementsQuerySchema,
  updateAnnouncementRequestSchema,
} from '../../shared/api/content-admin';
import type { DeviceIdentity } from '../auth/guards';
import type { ServerContext } from '../context';
import { parseStringArray } from '../db/json-columns';
import { badRequest, notFound } from '../errors';
import {
  hasPassedBoundaries,
  insertAnnouncement,
  selectAnnouncementPage,
  selectAnnouncementsByIds,
  selectLiveAnnouncement,
  softDeleteAnnouncement,
  touchPassedBoundaries,
  updateAnnouncementRow,
  type AnnouncementRow,
} from './announcements.repo';
import { auditIn, type Actor } from './content-audit';
import { insertContentChange, type Trx } from './content-changes.repo';
import { writeContent } from './content-writes';
import { parseCursor, readSyncPage } from './sync.service';
import { isTargetedAt } from './targeting';

/*
 * Announcements ("mail is down"): rows ↔ API shapes, writes with their sync-log and audit entries,
 * and the time boundaries (start, expiry) that change what agents see without anyone writing.
 */

export type { AnnouncementRow } from './announcements.repo';

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus'>;
type CreateInput = z.output<typeof createAnnouncementRequestSchema>;
type UpdateInput = z.output<typeof updateAnnouncementRequestSchema>;
type ListQuery = z.output<typeof listAnnouncementsQuerySchema>;

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
export async function getAnnouncement(ctx: Ctx, id: number): Promise<AnnouncementDto> {
  const row = await selectLiveAnnouncement(ctx.db.kysely, id);
  if (!row) throw notFound('Announcement');
  return toAnnouncementDto(row, ctx.now());
}

/** Staff list: live announcements, newest start first. */
export async function listAnnouncements(ctx: Ctx, query: ListQuery) {
  const { rows, total } = await selectAnnouncementPage(ctx.db.kysely, query);
  const now = ctx.now();
  return {
    announcements: rows.map((r) => toAnnouncementDto(r, now)),
    total,
    limit: query.limit,
    offset: query.offset,
  };
}

async function liveOr404(trx: Trx, id: number): Promise<AnnouncementRow> {
  const row = await selectLiveAnnouncement(trx, id);
  if (!row) throw notFound('Announcement');
  return row;
}

/** Creates an announcement; it starts now unless told otherwise. */
export async function createAnnouncement(ctx: Ctx, actor: Actor, input: CreateInput): Promise<AnnouncementDto> {
  const now = ctx.now();
  const startsAt = input.startsAt === undefined ? now : Date.parse(input.startsAt);
  const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && expiresAt <= startsAt)
    throw badRequest('invalid_expiry', 'expiresAt must be after startsAt');
  const row = await writeContent(ctx, 'announcements', async (trx) => {
    const created = await insertAnnouncement(trx, {
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
    });
    await insertContentChange(trx, 'announcement', created.id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'announcement.create',
      targetType: 'announcement',
      targetId: created.id,
      details: { title: created.title, severity: created.severity, status: created.status },
      ip: actor.ip,
    });
    return created;
  });
  return toAnnouncementDto(row, ctx.now());
}

/** Changes an announcement; expiresAt must stay after startsAt (400 invalid_expiry). */
export async function updateAnnouncement(
  ctx: Ctx,
  actor: Actor,
  id: number,
  input: UpdateInput,
): Promise<AnnouncementDto> {
  const now = ctx.now();
  const row = await writeContent(ctx, 'announcements', async (trx) => {
    const current = await liveOr404(trx, id);
    const startsAt = input.startsAt === undefined ? current.starts_at : Date.parse(input.startsAt);
    const expiresAt =
      input.expiresAt === undefined
        ? current.expires_at
        : input.expiresAt === null
          ? null
          : Date.parse(input.expiresAt);
    if (expiresAt !== null && expiresAt <= startsAt)
      throw badRequest('invalid_expiry', 'expiresAt must be after startsAt');
    const updated = await updateAnnouncementRow(trx, id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.severity !== undefined ? { severity: input.severity } : {}),
      ...(input.targeting
        ? { target_os: JSON.stringify(input.targeting.os), target_groups: JSON.stringify(input.targeting.groups) }
        : {}),
      starts_at: startsAt,
      expires_at: expiresAt,
      updated_at: now,
    });
    await insertContentChange(trx, 'announcement', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: 'announcement.update',
      targetType: 'announcement',
      targetId: id,
      details: { fields: Object.keys(input) },
      ip: actor.ip,
    });
    return updated;
  });
  return toAnnouncementDto(row, ctx.now());
}

/** Publishes or unpublishes; asking for the current state changes nothing. */
export async function setAnnouncementStatus(
  ctx: Ctx,
  actor: Actor,
  id: number,
  status: ContentStatus,
): Promise<AnnouncementDto> {
  const now = ctx.now();
  const row = await writeContent(ctx, 'announcements', async (trx) => {
    const current = await liveOr404(trx, id);
    if (current.status === status) return current;
    const updated = await updateAnnouncementRow(trx, id, { status, updated_at: now });
    await insertContentChange(trx, 'announcement', id, 'upsert', now);
    await auditIn(trx, ctx, {
      actorType: 'staff',
      actorId: actor.staffId,
      action: `announcement.${status === 'published' ? 'publish' : 'unpublish'}`,
      targetType: 'announcement',
      targetId: id,
      ip: actor.ip,
    });
    return updated;
  });
  return toAnnouncementDto(row, ctx.now());
}

/** Soft-deletes, so that sync can tell agents to drop it. */
export async function deleteAnnouncement(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  const now = ctx.now();
  await writeContent(ctx, 'announcements', async (trx) => {
    if (!(await softDeleteAnnouncement(trx, id, now))) throw notFound('Announcement');
    await insertContentChange(trx, 'announcement', id, 'delete', now);
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

/**
 * Logs a sync change for each announcement whose start or expiry passed since its last change;
 * returns how many. Delta sync only sees the content_changes log, so a sync logs these first.
 */
export async function logPassedBoundaries(ctx: Pick<ServerContext, 'db' | 'bus'>, now: number): Promise<number> {
  // The common case is nothing due: a read, no write transaction, for every agent poll.
  if (!(await hasPassedBoundaries(ctx.db.kysely, now))) return 0;
  return writeContent(ctx, 'announcements', async (trx) => {
    // Re-checked under the lock: a concurrent sync may have logged them already.
    const rows = await touchPassedBoundaries(trx, now);
    for (const row of rows)
      await insertContentChange(
        trx,
        'announcement',
        row.id,
        row.expires_at !== null && row.expires_at <= now ? 'delete' : 'upsert',
        now,
      );
    return rows.length;
  });
}

/** One page of the delta sync of the active announcements for this device; `since` is the raw cursor (400 invalid_cursor). */
export async function syncAnnouncements(
  ctx: Ctx,
  device: Pick<DeviceIdentity, 'id' | 'os_platform' | 'groups'>,
  rawSince: string,
  limit: number,
): Promise<AnnouncementSyncResponse> {
  const since = parseCursor(rawSince);
  const now = ctx.now();
  await logPassedBoundaries(ctx, now);
  const page = await readSyncPage(
    ctx,
    {
      entity: 'announcement',
      load: (ids) => selectAnnouncementsByIds(ctx.db.kysely, ids),
      visible: (row) => isActive(row, now) && isTargetedAt(row, device),
      toItem: toAgentAnnouncementDto,
    },
    since,
    limit,
  );
  return { cursor: page.cursor, announcements: page.items, deleted: page.deleted, hasMore: page.hasMore };
}
