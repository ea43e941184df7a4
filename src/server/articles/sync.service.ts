import type { ServerContext } from '../context';
import { badRequest } from '../errors';
import { selectChangedEntities, selectLatestChangeId, type ContentEntity } from './content-changes.repo';

/*
 * Delta sync over the content_changes log, shared by articles and announcements.
 *
 * Each entity changed after the cursor is reported once, at the position of its latest change, with
 * its current state: visible to the device → the full item; otherwise (deleted, unpublished, expired,
 * no longer targeted) → its id in `deleted`. Because an entity is placed at its latest change, paging
 * through a burst of edits never repeats it, and the next cursor is the last reported change id.
 */

/** How an entity type is read for sync: load rows by id (deleted ones too), decide visibility, map. */
export interface SyncSource<Row extends { id: number }, Item> {
  entity: ContentEntity;
  load(ids: number[]): Promise<Row[]>;
  visible(row: Row): boolean;
  toItem(row: Row): Item;
}

/** One page of a sync answer. */
export interface SyncPage<Item> {
  cursor: number;
  items: Item[];
  deleted: number[];
  hasMore: boolean;
}

/** Parses the `since` query value: a non-negative integer, else 400 invalid_cursor. */
export function parseCursor(raw: string): number {
  const cursor = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(cursor)) throw invalidCursor();
  return cursor;
}

const invalidCursor = () =>
  badRequest('invalid_cursor', 'The sync cursor is not one this server gave out; sync again from since=0');

/** Reads the changes after `since` for one entity type, at most `limit` entities. */
export async function readSyncPage<Row extends { id: number }, Item>(
  ctx: Pick<ServerContext, 'db'>,
  source: SyncSource<Row, Item>,
  since: number,
  limit: number,
): Promise<SyncPage<Item>> {
  const db = ctx.db.kysely;
  // Read the high-water mark first and never look past it: every change up to it has committed
  // (writers take turns, see inContentTransaction), so a cursor we hand out never skips one.
  const latest = await selectLatestChangeId(db);
  if (since > latest) throw invalidCursor();

  const changes = await selectChangedEntities(db, source.entity, since, latest, limit + 1);
  const hasMore = changes.length > limit;
  const page = changes.slice(0, limit);
  // With nothing more to read, jump to the high-water mark so the other entity's changes are not rescanned.
  const cursor = hasMore ? page[page.length - 1]!.lastId : latest;

  const rows = page.length > 0 ? await source.load(page.map((c) => c.id)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items: Item[] = [];
  const deleted: number[] = [];
  for (const { id } of page) {
    const row = byId.get(id);
    if (row && source.visible(row)) items.push(source.toItem(row));
    else deleted.push(id);
  }
  return { cursor, items, deleted, hasMore };
}
