import { randomBytes, randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { OutboxItem } from '../../shared/ipc/contract';
import type { CreateTicketRequest } from '../../shared/api/tickets';
import { fsyncDir, TEMP_PREFIX, writeFileAtomic } from './atomic-file';
import { readFirstLine, readWhole } from './outbox-files';
import { isLocked, isProcessAlive } from './outbox-lock';

/*
 * The outbox on disk: one file per ticket in <dataDir>/outbox, written atomically (temp, fsync,
 * rename, fsync folder) before any send is tried. The file's first line is the item's metadata, the
 * second its request (snapshot and screenshot included), so listing reads only first lines — and only
 * of files that changed since this process last read them. A sent ticket's metadata moves to
 * outbox/sent; unreadable files move to outbox/corrupt — nothing is deleted except on the employee's
 * explicit "discard" of a rejected ticket. Version 1 files (one JSON object, request inside) are
 * still read, and become version 2 on their next write.
 */

const metaSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  outboxId: z.string().regex(/^[a-z0-9-]{8,64}$/),
  /** One key for the ticket's whole life: every retry, from any process, sends the same one. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/),
  subject: z.string(),
  createdAt: z.string(),
  state: z.enum(['queued', 'sent', 'rejected']),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  error: z.string().nullable(),
  ticketId: z.number().int().positive().nullable(),
  sentAt: z.string().nullable().default(null),
  /** Version 1 only: the request inside the one JSON object. */
  request: z.record(z.string(), z.unknown()).optional(),
});
const requestSchema = z.record(z.string(), z.unknown());

/** An item's metadata: the first line of its file. */
export type OutboxMeta = Omit<z.infer<typeof metaSchema>, 'request' | 'version'>;
/** A whole item: metadata and the request it sends (absent in the sent archive). */
export type OutboxRecord = OutboxMeta & { request?: Record<string, unknown> };

/** The file-level operations of the outbox. */
export interface OutboxStore {
  readonly dir: string;
  create(request: CreateTicketRequest, now: number): Promise<OutboxRecord>;
  /** The whole item (request included): the one read a send needs. */
  read(outboxId: string): Promise<OutboxRecord | null>;
  /** The item's metadata only. */
  readMeta(outboxId: string): Promise<OutboxMeta | null>;
  write(record: OutboxRecord): Promise<void>;
  /** Every live item's metadata (queued, rejected, or sent but not yet archived), oldest first. */
  list(): Promise<OutboxMeta[]>;
  /** What list() would answer from what this process already knows, without touching the disk. */
  known(): OutboxMeta[];
  /** Removes leftovers of dead processes (temp files of interrupted writes, locks of items already gone) and archive entries older than 90 days. */
  sweep(now?: number): Promise<number>;
  /** Moves a sent item's metadata to the archive, without its request. */
  archive(record: OutboxMeta): Promise<void>;
  listArchived(): Promise<OutboxMeta[]>;
  remove(outboxId: string): Promise<void>;
  /** The item's file (what its lock protects) and its lock folder. */
  itemPath(outboxId: string): string;
  lockPath(outboxId: string): string;
}

const ID = /^[a-z0-9-]{8,64}$/;
/** How long a sent ticket's record stays in outbox/sent. */
const ARCHIVE_DAYS = 90;
/** A lock not refreshed for this long is a leftover (outbox.ts holds locks with the same threshold). */
export const LOCK_STALE_MS = 10_000;

function newOutboxId(now: number): string {
  // Time first so a plain name sort is creation order.
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(5).toString('hex')}`;
}

function metaOf(record: OutboxRecord): OutboxMeta {
  const { request: _request, ...meta } = record;
  return meta;
}

/** The file's text: metadata line, then the request line (if any). */
function serialize(record: OutboxRecord): string {
  const head = JSON.stringify({ version: 2, ...metaOf(record) });
  return record.request === undefined ? `${head}\n` : `${head}\n${JSON.stringify(record.request)}\n`;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; why: string };

function parseHead(line: string): Parsed<z.infer<typeof metaSchema>> {
  try {
    const parsed = metaSchema.safeParse(JSON.parse(line));
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, why: parsed.error.issues[0]?.message ?? 'invalid record' };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

function parseWhole(text: string): Parsed<OutboxRecord> {
  const newline = text.indexOf('\n');
  const head = parseHead(newline < 0 ? text : text.slice(0, newline));
  if (!head.ok) return head;
  const { version, request: inline, ...meta } = head.value;
  if (version === 1) return { ok: true, value: { ...meta, request: inline } };
  const rest = newline < 0 ? '' : text.slice(newline + 1).trim();
  if (!rest) return { ok: true, value: meta };
  try {
    const request = requestSchema.safeParse(JSON.parse(rest));
    return request.success
      ? { ok: true, value: { ...meta, request: request.data } }
      : { ok: false, why: 'bad request' };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

/** Metadata of one folder's items, re-read only for files whose identity (inode, mtime, size) changed. */
function createIndex(folder: string, quarantine: (folder: string, name: string, why: string) => Promise<void>) {
  const known = new Map<string, { key: string; meta: OutboxMeta }>();
  const keyOf = (s: Stats) => `${s.ino}:${s.mtimeMs}:${s.size}`;
  const isItem = (n: string) => n.endsWith('.json') && !n.startsWith(TEMP_PREFIX) && ID.test(n.slice(0, -5));

  async function entry(name: string): Promise<OutboxMeta | null> {
    const path = join(folder, name);
    let key: string;
    try {
      key = keyOf(await stat(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      known.delete(name);
      return null;
    }
    const hit = known.get(name);
    if (hit && hit.key === key) return hit.meta;
    const line = await readFirstLine(path);
    if (line === null) {
      known.delete(name);
      return null;
    }
    const head = parseHead(line);
    if (!head.ok) {
      known.delete(name);
      await quarantine(folder, name, head.why);
      return null;
    }
    const { version: _version, request: _request, ...meta } = head.value;
    known.set(name, { key, meta });
    return meta;
  }

  return {
    async list(): Promise<OutboxMeta[]> {
      const names = (await readdir(folder)).filter(isItem).sort();
      const present = new Set(names);
      for (const name of known.keys()) if (!present.has(name)) known.delete(name);
      const metas = await Promise.all(names.map(entry));
      return metas.filter((m): m is OutboxMeta => m !== null);
    },
    one: entry,
    known: (): OutboxMeta[] => [...known.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e.meta),
    /** This process wrote it: known without reading it back, until another process replaces the file. */
    wrote: (meta: OutboxMeta, written: Stats) => void known.set(`${meta.outboxId}.json`, { key: keyOf(written), meta }),
    forget: (outboxId: string) => void known.delete(`${outboxId}.json`),
  };
}

/** Opens (creating if needed) the outbox folder. */
export function createOutboxStore(dir: string, onCorrupt: (file: string, why: string) => void = () => {}): OutboxStore {
  const sentDir = join(dir, 'sent');
  const corruptDir = join(dir, 'corrupt');
  const pathOf = (id: string) => join(dir, `${id}.json`);
  let ready: Promise<void> | null = null;
  const ensure = () =>
    (ready ??= Promise.all([mkdir(sentDir, { recursive: true }), mkdir(corruptDir, { recursive: true })]).then(
      () => undefined,
    ));

  async function quarantine(folder: string, name: string, why: string): Promise<void> {
    onCorrupt(join(folder, name), why);
    await rename(join(folder, name), join(corruptDir, `${name}.${Date.now()}`)).catch(() => {});
  }
  const live = createIndex(dir, quarantine);
  /** A lock folder of an item already gone that nobody holds, or a stale lock file of the earlier hand-made lock. */
  async function removableLock(id: string, itemExists: boolean, path: string): Promise<boolean> {
    const s = await stat(path).catch(() => null);
    if (!s) return false;
    if (s.isFile()) return Date.now() - s.mtimeMs > LOCK_STALE_MS;
    return !itemExists && !(await isLocked(pathOf(id), path, LOCK_STALE_MS));
  }
  const archived = createIndex(sentDir, quarantine);

  async function write(record: OutboxRecord): Promise<void> {
    live.wrote(metaOf(record), await writeFileAtomic(pathOf(record.outboxId), serialize(record), { mode: 0o600 }));
  }

  return {
    dir,
    async create(request, now) {
      await ensure();
      const record: OutboxRecord = {
        outboxId: newOutboxId(now),
        idempotencyKey: randomUUID(),
        subject: request.subject,
        createdAt: new Date(now).toISOString(),
        state: 'queued',
        attempts: 0,
        nextAttemptAt: new Date(now).toISOString(),
        error: null,
        ticketId: null,
        sentAt: null,
        request: request as Record<string, unknown>,
      };
      await write(record);
      return record;
    },
    async read(id) {
      if (!ID.test(id)) return null;
      await ensure();
      const text = await readWhole(pathOf(id));
      if (text === null) return null;
      const parsed = parseWhole(text);
      if (parsed.ok) return parsed.value;
      live.forget(id);
      await quarantine(dir, `${id}.json`, parsed.why);
      return null;
    },
    async readMeta(id) {
      if (!ID.test(id)) return null;
      await ensure();
      return live.one(`${id}.json`);
    },
    write,
    list: async () => {
      await ensure();
      return live.list();
    },
    known: () => live.known(),
    async archive(record) {
      await ensure();
      const slim = metaOf(record);
      archived.wrote(
        slim,
        await writeFileAtomic(join(sentDir, `${record.outboxId}.json`), serialize(slim), { mode: 0o600 }),
      );
      await unlink(pathOf(record.outboxId)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      live.forget(record.outboxId);
      await fsyncDir(dir);
    },
    listArchived: async () => {
      await ensure();
      return archived.list();
    },
    async sweep(now = Date.now()) {
      await ensure();
      let removed = 0;
      // Archived ids start with their creation time in base 36.
      for (const name of await readdir(sentDir)) {
        const created = parseInt(name.split('-')[0] ?? '', 36);
        if (Number.isFinite(created) && now - created > ARCHIVE_DAYS * 86_400_000) {
          await unlink(join(sentDir, name)).catch(() => {});
          removed++;
        }
      }
      const names = await readdir(dir);
      const items = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
      for (const name of names) {
        // .tmp-<item>.json.<pid>.<random>: an atomic write its process never finished.
        const temp = name.startsWith(TEMP_PREFIX) ? /\.(\d+)\.[0-9a-f]+$/.exec(name) : null;
        // Leftovers of the hand-made lock of earlier versions.
        const staleAside = /\.lock\.stale-(\d+)-/.exec(name);
        const pid = temp?.[1] ?? staleAside?.[1];
        const id = name.endsWith('.lock') ? name.slice(0, -5) : null;
        const orphanLock = id !== null && (await removableLock(id, items.has(id), join(dir, name)));
        if ((pid !== undefined && !isProcessAlive(Number(pid))) || orphanLock) {
          await rm(join(dir, name), { recursive: true, force: true }).catch(() => {});
          removed++;
        }
      }
      return removed;
    },
    async remove(id) {
      await unlink(pathOf(id));
      live.forget(id);
      await fsyncDir(dir);
    },
    itemPath: pathOf,
    lockPath: (id) => join(dir, `${id}.lock`),
  };
}

/** The window's view of an item; `sending` is known only to the process sending it. */
export function toOutboxItem(record: OutboxMeta, sending: boolean): OutboxItem {
  return {
    outboxId: record.outboxId,
    subject: record.subject,
    createdAt: record.createdAt,
    state: sending ? 'sending' : record.state,
    attempts: record.attempts,
    nextAttemptAt: record.state === 'queued' ? record.nextAttemptAt : null,
    error: record.error,
    ticketId: record.ticketId,
  };
}
