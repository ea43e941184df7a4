import type * as ProperLockfile from 'proper-lockfile';

/*
 * The per-item send lock, through proper-lockfile: an atomic mkdir of `<item>.lock` whose mtime the
 * holder refreshes while it holds it, so the app and a `deskside ticket new` never send the same
 * ticket at the same time (the idempotency key makes a double send harmless, but it wastes an
 * upload). A lock not refreshed for `staleMs` (its holder died or hung) is taken over. The library
 * loads on the first lock, not at start: an agent with an empty outbox never needs it.
 */

/** A held lock; release is idempotent. */
export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock whose mtime is older than this is a leftover and is taken over (≥ 2 s, the library's floor). */
  staleMs: number;
  /** The lock was lost while held (refresh failed, or taken over after a long stall). */
  onCompromised(error: Error): void;
}

let library: Promise<typeof ProperLockfile> | null = null;
const load = () => (library ??= import('proper-lockfile').then((m) => (m.default ?? m) as typeof ProperLockfile));

/** Starts loading the lock library (an item was just queued: a send, and so a lock, follows). */
export function preloadLocks(): void {
  void load().catch(() => {});
}

/** Tries once to lock `target` with the lock folder at `lockPath`; null when someone else holds it. */
export async function tryLock(target: string, lockPath: string, options: LockOptions): Promise<HeldLock | null> {
  const lockfile = await load();
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      lockfilePath: lockPath,
      realpath: false,
      retries: 0,
      stale: options.staleMs,
      update: Math.max(1000, Math.floor(options.staleMs / 4)),
      onCompromised: options.onCompromised,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // A compromised lock is already gone (or someone else's): nothing of ours to remove.
      await release().catch(() => {});
    },
  };
}

/** Whether a lock folder at `lockPath` is held by a live holder (fresh mtime). */
export async function isLocked(target: string, lockPath: string, staleMs: number): Promise<boolean> {
  const lockfile = await load();
  return lockfile.check(target, { lockfilePath: lockPath, realpath: false, stale: staleMs });
}

/** Whether a process with this pid is running (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
