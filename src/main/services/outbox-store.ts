import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { OutboxItem } from '../../shared/ipc/contract';
import type { CreateTicketRequest } from '../../shared/api/tickets';
import { fsyncDir, TEMP_PREFIX, writeFileAtomic } from './atomic-file';
import { isProcessAlive } from './outbox-lock';

/*
 * The outbox on disk: one JSON file per ticket in <dataDir>/outbox, written atomically (temp, fsync,
 * rename, fsync folder) before any send is tried. A sent ticket's record (without its snapshot and
 * screenshot) moves to outbox/sent; unreadable files move to outbox/corrupt — nothing is deleted
 * except on the employee's explicit "discard" of a rejected ticket.
 */

const recordSchema = z.object({
  version: z.literal(1),
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
  /** The full request: snapshot and attachments included. Absent in the sent archive. */
  request: z.record(z.string(), z.unknown()).optional(),
});

/** One outbox file. */
export type OutboxRecord = z.infer<typeof recordSchema>;

/** The file-level operations of the outbox. */
export interface OutboxStore {
  readonly dir: string;
  create(request: CreateTicketRequest, now: number): Promise<OutboxRecord>;
  read(outboxId: string): Promise<OutboxRecord | null>;
  write(record: OutboxRecord): Promise<void>;
  /** Every live record (queued or rejected, or sent but not yet archived), oldest first. */
  list(): Promise<OutboxRecord[]>;
  /** Removes leftovers of dead processes (temp files of interrupted writes, locks of items already gone) and archive entries older than 90 days. */
  sweep(now?: number): Promise<number>;
  /** Moves a sent record to the archive without its payload. */
  archive(record: OutboxRecord): Promise<void>;
  listArchived(): Promise<OutboxRecord[]>;
  remove(outboxId: string): Promise<void>;
  lockPath(outboxId: string): string;
}

const ID = /^[a-z0-9-]{8,64}$/;
/** How long a sent ticket's record stays in outbox/sent. */
const ARCHIVE_DAYS = 90;

function newOutboxId(now: number): string {
  // Time first so a plain name sort is creation order.
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(5).toString('hex')}`;
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

  async function parseFile(file: string): Promise<OutboxRecord | null | 'missing'> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
    try {
      const parsed = recordSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      onCorrupt(file, parsed.error.issues[0]?.message ?? 'invalid record');
    } catch (error) {
      onCorrupt(file, (error as Error).message);
    }
    return null;
  }

  async function quarantine(dirName: string, name: string): Promise<void> {
    await rename(join(dirName, name), join(corruptDir, `${name}.${Date.now()}`)).catch(() => {});
  }

  async function readAll(folder: string): Promise<OutboxRecord[]> {
    await ensure();
    const names = (await readdir(folder))
      .filter((n) => n.endsWith('.json') && !n.startsWith(TEMP_PREFIX) && ID.test(n.slice(0, -5)))
      .sort();
    const records: OutboxRecord[] = [];
    for (const name of names) {
      const record = await parseFile(join(folder, name));
      if (record === 'missing') continue;
      if (record === null) await quarantine(folder, name);
      else records.push(record);
    }
    return records;
  }

  return {
    dir,
    async create(request, now) {
      await ensure();
      const record: OutboxRecord = {
        version: 1,
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
      await writeFileAtomic(pathOf(record.outboxId), JSON.stringify(record), { mode: 0o600 });
      return record;
    },
    async read(id) {
      if (!ID.test(id)) return null;
      await ensure();
      const record = await parseFile(pathOf(id));
      return record === 'missing' || record === null ? null : record;
    },
    write: async (record) => writeFileAtomic(pathOf(record.outboxId), JSON.stringify(record), { mode: 0o600 }),
    list: () => readAll(dir),
    async archive(record) {
      await ensure();
      const slim: OutboxRecord = { ...record, request: undefined };
      await writeFileAtomic(join(sentDir, `${record.outboxId}.json`), JSON.stringify(slim), { mode: 0o600 });
      await unlink(pathOf(record.outboxId)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await fsyncDir(dir);
    },
    listArchived: () => readAll(sentDir),
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
        const orphanLock = name.endsWith('.lock') && !items.has(name.slice(0, -5));
        const staleAside = /\.lock\.stale-(\d+)-/.exec(name);
        const pid = temp?.[1] ?? staleAside?.[1];
        if (
          (pid !== undefined && !isProcessAlive(Number(pid))) ||
          (orphanLock && !(await lockOwnerAlive(join(dir, name))))
        ) {
          await unlink(join(dir, name)).catch(() => {});
          removed++;
        }
      }
      return removed;
    },
    async remove(id) {
      await unlink(pathOf(id));
      await fsyncDir(dir);
    },
    lockPath: (id) => join(dir, `${id}.lock`),
  };
}

async function lockOwnerAlive(file: string): Promise<boolean> {
  try {
    const body = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown };
    return typeof body.pid === 'number' && isProcessAlive(body.pid);
  } catch {
    return false;
  }
}

/** The window's view of a record; `sending` is known only to the process sending it. */
export function toOutboxItem(record: OutboxRecord, sending: boolean): OutboxItem {
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
