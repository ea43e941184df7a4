import type { CreateTicketRequest } from '../../shared/api/tickets';
import { IpcError } from '../../shared/ipc/ipc-error';
import type { OutboxItem } from '../../shared/ipc/contract';
import type { AgentLogger } from './agent-platform';
import { ApiCallError } from './api-client';
import { backoffDelay, OUTBOX_BACKOFF, type BackoffPolicy } from './backoff';
import { preloadLocks, tryLock, type HeldLock } from './outbox-lock';
import { createOutboxStore, LOCK_STALE_MS, toOutboxItem, type OutboxMeta, type OutboxRecord } from './outbox-store';

/*
 * The durable outbox: a ticket is on disk before any send is tried, keeps one idempotency key for
 * its whole life, and is retried with capped, jittered exponential backoff until the server takes it
 * (→ archived with its ticket id) or refuses it with a 4xx (→ rejected, shown to the employee, who
 * may retry or discard it). Survives crashes: a record is only ever replaced atomically, and the
 * server's idempotency turns a resend after a crash mid-send into the same ticket.
 */

/** A send attempt's outcome for one item. */
export type SendOutcome =
  | { state: 'sent'; ticketId: number }
  | { state: 'queued' | 'rejected'; error: string }
  | { state: 'busy' }
  | { state: 'missing' };

export interface OutboxOptions {
  dir: string;
  /** Sends one ticket; throws ApiCallError. */
  send(request: CreateTicketRequest, idempotencyKey: string): Promise<{ ticketId: number }>;
  logger: AgentLogger;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Something in the outbox changed (counts, an item sent or rejected). */
  onChange?(change: { outboxId: string; ticketId: number | null }): void;
  /** The pending/failed counts changed. */
  onCounts?(counts: { pending: number; failed: number }): void;
  /** The server said the device token is invalid. */
  onUnauthorized?(): void;
  /** The server answered (true) or could not be reached (false). */
  onReachability?(online: boolean): void;
  /** How often the background sender rescans for items other processes wrote. Default 30 s. */
  rescanMs?: number;
}

export interface Outbox {
  /** Writes the ticket durably and returns it queued; the background sender (if started) is woken. */
  add(request: CreateTicketRequest): Promise<OutboxItem>;
  /** Items not yet sent: queued and rejected. */
  list(): Promise<OutboxItem[]>;
  /** Sent items still in the archive, newest last. */
  sent(): Promise<OutboxItem[]>;
  counts(): { pending: number; failed: number };
  /** One send attempt for one item now, whatever its schedule (rejected items are left alone). */
  sendNow(outboxId: string): Promise<SendOutcome>;
  /** One attempt for every queued item that is due (or every queued item with `all`). */
  flush(options?: { all?: boolean }): Promise<Map<string, SendOutcome>>;
  /** The employee asks to send a rejected (or waiting) item again now. */
  retry(outboxId: string): Promise<OutboxItem>;
  /** The employee drops a rejected item. */
  discard(outboxId: string): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  /** Wakes the sender; `everything` also tries items still waiting out their backoff (back online, just enrolled). */
  kick(everything?: boolean): void;
}

/** The sender never sleeps longer than this, so items written by another process are picked up. */
const DEFAULT_RESCAN_MS = 30_000;

/** Builds the outbox over `<dataDir>/outbox`. */
export function createOutbox(options: OutboxOptions): Outbox {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? OUTBOX_BACKOFF;
  const store = createOutboxStore(options.dir, (file, why) =>
    options.logger.error('outbox: unreadable item moved to outbox/corrupt', { file, why }),
  );
  const sending = new Set<string>();
  let counts = { pending: 0, failed: 0 };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let againAll = false;
  let started = false;

  const changed = (outboxId: string, ticketId: number | null = null) => options.onChange?.({ outboxId, ticketId });

  let countsStarted = 0;
  let countsApplied = 0;
  /**
   * Counts from the folder's metadata (re-read only where files changed) or from `records` given; a
   * listing that started before a newer one finished is dropped as stale.
   */
  async function refreshCounts(records?: OutboxMeta[]): Promise<OutboxMeta[]> {
    const seq = ++countsStarted;
    const all = records ?? (await store.list());
    if (seq > countsApplied) {
      countsApplied = seq;
      const next = {
        pending: all.filter((r) => r.state === 'queued').length,
        failed: all.filter((r) => r.state === 'rejected').length,
      };
      const moved = next.pending !== counts.pending || next.failed !== counts.failed;
      counts = next;
      if (moved) options.onCounts?.(next);
    }
    return all;
  }

  const lock = (outboxId: string): Promise<HeldLock | null> =>
    tryLock(store.itemPath(outboxId), store.lockPath(outboxId), {
      staleMs: LOCK_STALE_MS,
      // Lost while sending (a stall past the stale threshold): at worst another process sends it too,
      // and the idempotency key makes that the same ticket.
      onCompromised: (error) => options.logger.warn('outbox: send lock lost', { outboxId, error: error.message }),
    });

  async function attempt(outboxId: string, force: boolean): Promise<SendOutcome> {
    if (sending.has(outboxId)) return { state: 'busy' };
    sending.add(outboxId);
    let held: HeldLock | null;
    try {
      held = await lock(outboxId);
    } catch (error) {
      sending.delete(outboxId);
      throw error;
    }
    if (!held) {
      sending.delete(outboxId);
      return { state: 'busy' };
    }
    try {
      // Read again under the lock: another process may have sent it meanwhile.
      const record = await store.read(outboxId);
      if (!record) return { state: 'missing' };
      if (record.state === 'sent' && record.ticketId !== null) {
        await store.archive(record);
        return { state: 'sent', ticketId: record.ticketId };
      }
      if (record.state === 'rejected') return { state: 'rejected', error: record.error ?? 'Rejected by the server' };
      if (!force && record.nextAttemptAt && Date.parse(record.nextAttemptAt) > now())
        return { state: 'queued', error: record.error ?? '' };
      if (!record.request) return { state: 'rejected', error: 'The ticket content is missing' };
      changed(outboxId);
      let outcome: SendOutcome;
      try {
        const { ticketId } = await options.send(record.request as CreateTicketRequest, record.idempotencyKey);
        options.onReachability?.(true);
        const sent: OutboxRecord = {
          ...record,
          state: 'sent',
          ticketId,
          attempts: record.attempts + 1,
          nextAttemptAt: null,
          error: null,
          sentAt: new Date(now()).toISOString(),
        };
        // Record the ticket id durably first; a crash before archiving only repeats the archiving.
        await store.write(sent);
        await store.archive(sent);
        outcome = { state: 'sent', ticketId };
        options.logger.info('outbox: ticket sent', { outboxId, ticketId, attempts: sent.attempts });
      } catch (error) {
        outcome = await failed(record, error);
      }
      // Counts first, so the state pushed with this change is already the new one.
      await refreshCounts(store.known());
      changed(outboxId, outcome.state === 'sent' ? outcome.ticketId : null);
      return outcome;
    } finally {
      sending.delete(outboxId);
      await held.release();
    }
  }

  async function failed(record: OutboxRecord, error: unknown): Promise<SendOutcome> {
    const e =
      error instanceof ApiCallError
        ? error
        : new ApiCallError('transient', error instanceof Error ? error.message : String(error));
    const attempts = record.attempts + 1;
    // Not configured / not enrolled yet is no fault of the ticket: it waits, however long that takes.
    if (e.kind === 'permanent' && e.code !== 'not_configured') {
      options.onReachability?.(true);
      await store.write({ ...record, state: 'rejected', attempts, nextAttemptAt: null, error: e.message });
      options.logger.warn('outbox: ticket rejected by the server', {
        outboxId: record.outboxId,
        status: e.status,
        code: e.code,
        message: e.message,
      });
      return { state: 'rejected', error: e.message };
    }
    if (e.kind === 'unauthorized' && e.code !== 'not_enrolled') options.onUnauthorized?.();
    if (e.kind === 'transient' && e.status === null) options.onReachability?.(false);
    const delay = Math.max(backoffDelay(attempts, policy, random), e.retryAfterMs ?? 0);
    await store.write({ ...record, attempts, nextAttemptAt: new Date(now() + delay).toISOString(), error: e.message });
    return { state: 'queued', error: e.message };
  }

  async function flush(
    flushOptions: { all?: boolean; shouldContinue?: () => boolean } = {},
  ): Promise<Map<string, SendOutcome>> {
    const results = new Map<string, SendOutcome>();
    await store
      .sweep(now())
      .catch((error: unknown) => options.logger.warn('outbox: sweep failed', { error: String(error) }));
    const records = await store.list();
    for (const record of records) {
      if (record.state === 'rejected') continue;
      const due = record.state === 'sent' || !record.nextAttemptAt || Date.parse(record.nextAttemptAt) <= now();
      if (!due && !flushOptions.all) continue;
      if (flushOptions.shouldContinue && !flushOptions.shouldContinue()) break;
      results.set(record.outboxId, await attempt(record.outboxId, flushOptions.all === true));
    }
    await refreshCounts(store.known());
    return results;
  }

  function schedule(): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    void store.list().then(
      (records) => {
        if (!started) return;
        void refreshCounts(records);
        const next = records
          .filter((r) => r.state === 'queued')
          .map((r) => (r.nextAttemptAt ? Date.parse(r.nextAttemptAt) : now()));
        const wait = next.length > 0 ? Math.max(0, Math.min(...next) - now()) : Infinity;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => kick(), Math.min(wait, options.rescanMs ?? DEFAULT_RESCAN_MS));
        timer.unref?.();
      },
      (error: unknown) => options.logger.error('outbox: cannot read the outbox', { error: String(error) }),
    );
  }

  function kick(everything = false): void {
    if (!started) return;
    againAll ||= everything;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        const all = againAll;
        againAll = false;
        try {
          await flush({ all, shouldContinue: () => started });
        } catch (error) {
          options.logger.error('outbox: send pass failed', { error: String(error) });
        }
      } while (again && started);
    })().finally(() => {
      running = null;
      schedule();
    });
  }

  async function requireRecord(outboxId: string): Promise<OutboxRecord>;
  async function requireRecord(outboxId: string, whole: false): Promise<OutboxMeta>;
  async function requireRecord(outboxId: string, whole = true): Promise<OutboxMeta> {
    const record = whole ? await store.read(outboxId) : await store.readMeta(outboxId);
    if (!record || record.state === 'sent')
      throw new IpcError('not_found', 'That ticket is no longer waiting in the outbox.');
    return record;
  }

  return {
    async add(request) {
      // A send (and its lock) follows the write: load the lock library while the write syncs.
      preloadLocks();
      const record = await store.create(request, now());
      await refreshCounts(store.known());
      changed(record.outboxId);
      kick();
      return toOutboxItem(record, false);
    },
    list: async () =>
      (await refreshCounts()).filter((r) => r.state !== 'sent').map((r) => toOutboxItem(r, sending.has(r.outboxId))),
    sent: async () => (await store.listArchived()).map((r) => toOutboxItem(r, false)),
    counts: () => ({ ...counts }),
    sendNow: (outboxId) => attempt(outboxId, true),
    flush,
    async retry(outboxId) {
      const record = await requireRecord(outboxId, false);
      const held = await lock(outboxId);
      if (!held) return toOutboxItem(record, true);
      try {
        const fresh = await requireRecord(outboxId);
        const queued: OutboxRecord = {
          ...fresh,
          state: 'queued',
          nextAttemptAt: new Date(now()).toISOString(),
          error: fresh.state === 'rejected' ? null : fresh.error,
        };
        await store.write(queued);
        await refreshCounts(store.known());
        changed(outboxId);
        return toOutboxItem(queued, false);
      } finally {
        await held.release();
        kick();
      }
    },
    async discard(outboxId) {
      const record = await requireRecord(outboxId, false);
      if (record.state !== 'rejected')
        throw new IpcError(
          'not_rejected',
          'Only a ticket the help desk refused can be discarded; this one is still being sent.',
        );
      await store.remove(outboxId);
      await refreshCounts(store.known());
      changed(outboxId);
    },
    start() {
      if (started) return;
      started = true;
      kick();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => {});
    },
    kick: (everything) => kick(everything),
  };
}
