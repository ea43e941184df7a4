import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateTicketRequest } from '../../shared/api/tickets';
import { ApiCallError } from './api-client';
import { createOutbox } from './outbox';

/*
 * What the outbox reads from disk, counted at node:fs/promises: a submission reads only its own
 * item, listing reads only metadata, and a flush after an outage reads each item once.
 */

const log = vi.hoisted(() => ({ whole: [] as string[], head: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const readFile = ((path: Parameters<typeof actual.readFile>[0], ...rest: unknown[]) => {
    log.whole.push(String(path));
    return (actual.readFile as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFile;
  const open = ((path: Parameters<typeof actual.open>[0], flags?: string | number, mode?: number) => {
    if (flags === undefined || flags === 'r') log.head.push(String(path));
    return actual.open(path, flags, mode);
  }) as typeof actual.open;
  return { ...actual, readFile, open, default: { ...actual, readFile, open } };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-outbox-reads-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const QUEUED = 20;
const silent = { info() {}, warn() {}, error() {} };
const ticket = (subject: string): CreateTicketRequest => ({
  subject,
  category: 'network',
  urgency: 'medium',
  snapshot: { big: 'x'.repeat(100_000) },
});
/** Reads of item files (not folders, not locks), by kind. */
const itemReads = () => {
  const items = (paths: string[]) => paths.filter((p) => p.startsWith(dir) && p.endsWith('.json'));
  return { whole: items(log.whole), head: items(log.head) };
};
const resetLog = () => {
  log.whole.length = 0;
  log.head.length = 0;
};

/** An outbox with QUEUED tickets that failed once (server down), waiting out their backoff. */
async function outage() {
  const clock = { now: Date.parse('2026-05-01T10:00:00Z') };
  const server = { up: false, sent: [] as string[] };
  const outbox = createOutbox({
    dir,
    logger: silent,
    now: () => clock.now,
    random: () => 0.5,
    send: async (request) => {
      if (!server.up) throw new ApiCallError('transient', 'The server cannot be reached (ECONNREFUSED)');
      server.sent.push(request.subject);
      return { ticketId: server.sent.length };
    },
  });
  for (let i = 0; i < QUEUED; i++) await outbox.add(ticket(`queued ${i}`));
  await outbox.flush();
  expect(outbox.counts()).toEqual({ pending: QUEUED, failed: 0 });
  return { outbox, clock, server };
}

describe('outbox reads', () => {
  it('lists metadata only: no queued item is read whole', async () => {
    const { outbox } = await outage();
    resetLog();
    expect(await outbox.list()).toHaveLength(QUEUED);
    expect(await outbox.list()).toHaveLength(QUEUED);
    expect(itemReads().whole).toEqual([]);
    // Nothing changed on disk since this process wrote it: not even the metadata is read again.
    expect(itemReads().head).toEqual([]);
  });

  it('a submission reads only its own item, once', async () => {
    const { outbox, server } = await outage();
    server.up = true;
    resetLog();
    const item = await outbox.add(ticket('new one'));
    expect(await outbox.sendNow(item.outboxId)).toEqual({ state: 'sent', ticketId: 1 });
    await outbox.flush();
    const own = join(dir, `${item.outboxId}.json`);
    expect(itemReads().whole).toEqual([own]);
    expect(itemReads().head.filter((p) => p !== own)).toEqual([]);
    expect(server.sent).toEqual(['new one']);
  });

  it('a flush after the outage reads each queued item whole exactly once', async () => {
    const { outbox, server } = await outage();
    server.up = true;
    resetLog();
    const results = await outbox.flush({ all: true });
    expect([...results.values()].every((r) => r.state === 'sent')).toBe(true);
    expect(server.sent).toHaveLength(QUEUED);
    const whole = itemReads().whole;
    expect(whole).toHaveLength(QUEUED);
    expect(new Set(whole).size).toBe(QUEUED);
    expect(outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });
});
