/*
 * Which mailbox messages the importer could not take, and when each is due again: the first retry after
 * `baseMs`, then twice as long each time up to `maxMs`. Keyed by UID (cleared when the folder's UIDVALIDITY
 * changes). A whole pass that failed (a server error, not a lost connection) is tried again after `baseMs`.
 */
export class FailedMessages {
  private readonly entries = new Map<number, { attempts: number; dueAt: number }>();
  private passDueAt: number | null = null;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The UIDs to try now, in order: those never failed and those whose wait is over. */
  due(uids: number[]): number[] {
    const now = this.now();
    this.passDueAt = null;
    // Messages no longer unseen (read by someone, or deleted) are forgotten.
    const present = new Set(uids);
    for (const uid of this.entries.keys()) if (!present.has(uid)) this.entries.delete(uid);
    return [...uids].sort((a, b) => a - b).filter((uid) => (this.entries.get(uid)?.dueAt ?? 0) <= now);
  }

  /** Records a failure; returns how long until the message is due again. */
  fail(uid: number): number {
    const attempts = (this.entries.get(uid)?.attempts ?? 0) + 1;
    const wait = Math.min(this.baseMs * 2 ** (attempts - 1), this.maxMs);
    this.entries.set(uid, { attempts, dueAt: this.now() + wait });
    return wait;
  }

  forget(uid: number): void {
    this.entries.delete(uid);
  }

  failPass(): void {
    this.passDueAt = this.now() + this.baseMs;
  }

  clear(): void {
    this.entries.clear();
    this.passDueAt = null;
  }

  /** Milliseconds until the earliest retry, or null when nothing waits. */
  nextRetryInMs(): number | null {
    let earliest = this.passDueAt ?? Infinity;
    for (const { dueAt } of this.entries.values()) earliest = Math.min(earliest, dueAt);
    return earliest === Infinity ? null : Math.max(0, earliest - this.now());
  }

  attempts(uid: number): number {
    return this.entries.get(uid)?.attempts ?? 0;
  }
}
