import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateTicketRequest } from '../../shared/api/tickets';
import { ApiCallError } from './api-client';
import { createOutbox, type OutboxOptions } from './outbox';
import { tryLock } from './outbox-lock';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-outbox-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const silent = { info() {}, warn() {}, error() {} };
const ticket = (subject = 'Wi-Fi drops'): CreateTicketRequest => ({
  subject,
  category: 'network',
  urgency: 'medium',
  snapshot: { big: 'x'.repeat(1000) },
});

function harness(send: OutboxOptions['send'], extra: Partial<OutboxOptions> = {}) {
  const clock = { now: Date.parse('2026-05-01T10:00:00Z') };
  const outbox = createOutbox({ dir, send, logger: silent, now: () => clock.now, random: () => 0.5, ...extra });
  return { outbox, clock };
}

const files = async () => (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();

describe('outbox', () => {
  it('writes the ticket durably before sending, with one key for every retry, then archives it', async () => {
    const calls: Array<{ key: string; onDisk: string[] }> = [];
    let fail = 2;
    const { outbox, clock } = harness(async (_request, key) => {
      calls.push({ key, onDisk: await files() });
      if (fail-- > 0) throw new ApiCallError('transient', 'The server cannot be reached (ECONNREFUSED)');
      return { ticketId: 42 };
    });
    const item = await outbox.add(ticket());
    expect(item.state).toBe('queued');
    expect(await files()).toEqual([`${item.outboxId}.json`]);
    // Metadata on the first line, the request on the second.
    const [head, body] = (await readFile(join(dir, `${item.outboxId}.json`), 'utf8')).split('\n');
    expect(JSON.parse(head ?? '')).toMatchObject({ version: 2, outboxId: item.outboxId, state: 'queued' });
    expect(JSON.parse(body ?? '').snapshot.big).toHaveLength(1000);

    expect((await outbox.flush()).get(item.outboxId)).toEqual({
      state: 'queued',
      error: 'The server cannot be reached (ECONNREFUSED)',
    });
    let [waiting] = await outbox.list();
    expect(waiting).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: '2026-05-01T10:00:00.750Z' });
    // Not due yet: nothing is sent.
    expect((await outbox.flush()).size).toBe(0);
    clock.now += 750;
    await outbox.flush();
    [waiting] = await outbox.list();
    expect(waiting).toMatchObject({ attempts: 2, nextAttemptAt: '2026-05-01T10:00:02.250Z' });
    clock.now += 1500;
    expect((await outbox.flush()).get(item.outboxId)).toEqual({ state: 'sent', ticketId: 42 });

    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect(calls.every((c) => c.onDisk.includes(`${item.outboxId}.json`))).toBe(true);
    expect(await outbox.list()).toEqual([]);
    expect(await outbox.sent()).toEqual([
      expect.objectContaining({ outboxId: item.outboxId, state: 'sent', ticketId: 42, attempts: 3 }),
    ]);
    const archived = JSON.parse(await readFile(join(dir, 'sent', `${item.outboxId}.json`), 'utf8'));
    expect(archived.request).toBeUndefined();
    expect(outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('a 4xx rejects the item with the server message; only the employee retries or discards it', async () => {
    let answer: 'reject' | 'accept' = 'reject';
    const { outbox } = harness(async () => {
      if (answer === 'reject')
        throw new ApiCallError('permanent', 'subject: must not be empty', 400, 'invalid_request');
      return { ticketId: 7 };
    });
    const item = await outbox.add(ticket());
    await outbox.flush({ all: true });
    expect(await outbox.list()).toEqual([
      expect.objectContaining({ state: 'rejected', error: 'subject: must not be empty', nextAttemptAt: null }),
    ]);
    expect(outbox.counts()).toEqual({ pending: 0, failed: 1 });
    // The sender leaves it alone.
    expect((await outbox.flush({ all: true })).size).toBe(0);

    answer = 'accept';
    const retried = await outbox.retry(item.outboxId);
    expect(retried).toMatchObject({ state: 'queued', error: null });
    expect((await outbox.flush()).get(item.outboxId)).toEqual({ state: 'sent', ticketId: 7 });

    answer = 'reject';
    const second = await outbox.add(ticket('second'));
    await expect(outbox.discard(second.outboxId)).rejects.toMatchObject({ code: 'not_rejected' });
    await outbox.flush({ all: true });
    await outbox.discard(second.outboxId);
    expect(await outbox.list()).toEqual([]);
    await expect(outbox.discard(second.outboxId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('waits while not configured or not enrolled, honours Retry-After, and reports a 401', async () => {
    const errors = [
      new ApiCallError('permanent', 'No help-desk server is configured', null, 'not_configured'),
      new ApiCallError('unauthorized', 'token revoked', 401, 'unauthorized'),
      new ApiCallError('transient', 'slow down', 429, 'rate_limited', 60_000),
    ];
    let unauthorized = 0;
    const { outbox, clock } = harness(
      async () => {
        const next = errors.shift();
        if (next) throw next;
        return { ticketId: 1 };
      },
      { onUnauthorized: () => void unauthorized++ },
    );
    const item = await outbox.add(ticket());
    for (let i = 0; i < 3; i++) await outbox.sendNow(item.outboxId);
    const [waiting] = await outbox.list();
    expect(waiting).toMatchObject({ state: 'queued', attempts: 3, error: 'slow down' });
    expect(Date.parse(waiting?.nextAttemptAt ?? '') - clock.now).toBe(60_000);
    expect(unauthorized).toBe(1);
    expect(await outbox.sendNow(item.outboxId)).toEqual({ state: 'sent', ticketId: 1 });
  });

  it('finishes an item that was recorded as sent before a crash without sending it again', async () => {
    let sends = 0;
    const { outbox } = harness(async () => ({ ticketId: ++sends }));
    const item = await outbox.add(ticket());
    const file = join(dir, `${item.outboxId}.json`);
    const [head, body] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${JSON.stringify({ ...JSON.parse(head ?? ''), state: 'sent', ticketId: 99 })}\n${body}\n`);
    expect((await outbox.flush()).get(item.outboxId)).toEqual({ state: 'sent', ticketId: 99 });
    expect(sends).toBe(0);
    expect(await files()).toEqual([]);
  });

  it('keeps sent records for 90 days', async () => {
    const { outbox, clock } = harness(async () => ({ ticketId: 5 }));
    await outbox.add(ticket());
    await outbox.flush();
    expect(await outbox.sent()).toHaveLength(1);
    clock.now += 89 * 86_400_000;
    await outbox.flush();
    expect(await outbox.sent()).toHaveLength(1);
    clock.now += 2 * 86_400_000;
    await outbox.flush();
    expect(await outbox.sent()).toEqual([]);
  });

  it('quarantines unreadable files instead of deleting them, and skips temp files', async () => {
    const { outbox } = harness(async () => ({ ticketId: 1 }));
    await writeFile(join(dir, 'lkj0abcd1-0011223344.json'), '{ torn');
    await writeFile(join(dir, '.tmp-lkj0abcd2-0011223344.json.1.ab'), '{ half');
    expect(await outbox.list()).toEqual([]);
    expect((await readdir(join(dir, 'corrupt')))[0]).toMatch(/^lkj0abcd1-0011223344\.json\./);
  });

  it('skips an item another process holds the lock of, and takes over a lock nobody refreshes', async () => {
    let sends = 0;
    const { outbox } = harness(async () => ({ ticketId: ++sends }));
    const item = await outbox.add(ticket());
    const lockDir = join(dir, `${item.outboxId}.lock`);
    // A holder elsewhere: proper-lockfile's lock folder, freshly touched.
    await mkdir(lockDir);
    expect(await outbox.sendNow(item.outboxId)).toEqual({ state: 'busy' });
    expect(sends).toBe(0);
    // Its holder died: the folder's mtime is older than the stale threshold.
    const past = new Date(Date.now() - 60_000);
    await utimes(lockDir, past, past);
    expect(await outbox.sendNow(item.outboxId)).toEqual({ state: 'sent', ticketId: 1 });
    expect((await readdir(dir)).filter((n) => n.includes('.lock'))).toEqual([]);
  });

  it('the lock is exclusive, within this process too, and release is idempotent', async () => {
    const target = join(dir, 'x.json');
    const path = join(dir, 'x.lock');
    const options = { staleMs: 10_000, onCompromised: () => {} };
    const a = await tryLock(target, path, options);
    expect(a).not.toBeNull();
    expect(await tryLock(target, path, options)).toBeNull();
    await a?.release();
    const b = await tryLock(target, path, options);
    expect(b).not.toBeNull();
    await a?.release();
    expect(await tryLock(target, path, options)).toBeNull();
    await b?.release();
  });

  it('reads an item written by an earlier version (one JSON object) and rewrites it in the new format', async () => {
    let sends = 0;
    const { outbox } = harness(async (request) => {
      expect(request.subject).toBe('old');
      return { ticketId: ++sends };
    });
    const id = 'lkj0abcd1-0011223344';
    const old = {
      version: 1,
      outboxId: id,
      idempotencyKey: 'key-0011223344',
      subject: 'old',
      createdAt: '2026-05-01T09:00:00.000Z',
      state: 'queued',
      attempts: 0,
      nextAttemptAt: '2026-05-01T09:00:00.000Z',
      error: null,
      ticketId: null,
      sentAt: null,
      request: ticket('old'),
    };
    await writeFile(join(dir, `${id}.json`), JSON.stringify(old));
    expect(await outbox.list()).toEqual([expect.objectContaining({ outboxId: id, subject: 'old', state: 'queued' })]);
    expect(await outbox.sendNow(id)).toEqual({ state: 'sent', ticketId: 1 });
    expect(await outbox.sent()).toEqual([expect.objectContaining({ outboxId: id, ticketId: 1 })]);
  });

  it('the background sender sends on its own and stops cleanly', async () => {
    const sent: string[] = [];
    const { outbox } = harness(async (request) => {
      sent.push(request.subject);
      return { ticketId: sent.length };
    });
    outbox.start();
    await outbox.add(ticket('one'));
    await outbox.add(ticket('two'));
    await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: 10_000, interval: 5 });
    await outbox.stop();
    expect(sent.sort()).toEqual(['one', 'two']);
  });
});
