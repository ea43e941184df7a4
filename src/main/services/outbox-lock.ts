import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';

/*
 * A cross-process lock as a file created with O_EXCL, holding the owner's pid. The outbox takes one
 * per item while sending it, so the app and a `deskside ticket new` never send the same ticket at
 * the same time (the idempotency key would make a double send harmless, but it wastes an upload).
 * A lock whose owner is dead, or that is older than `staleMs`, is broken.
 */

interface LockBody {
  pid: number;
  nonce: string;
  at: number;
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

async function readLock(path: string): Promise<LockBody | null | 'missing'> {
  try {
    const body = JSON.parse(await readFile(path, 'utf8')) as Partial<LockBody>;
    if (typeof body.pid === 'number' && typeof body.nonce === 'string' && typeof body.at === 'number')
      return body as LockBody;
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    // Torn or empty: the owner died between create and write.
    return null;
  }
}

/** A held lock; release is idempotent and only removes the file if it is still ours. */
export interface HeldLock {
  /** Identifies this holding (for `heldHere`). */
  readonly nonce: string;
  release(): Promise<void>;
}

/** Tries once to take the lock at `path`; null when another live owner holds it. */
export async function tryLock(
  path: string,
  options: { staleMs: number; now?: () => number; heldHere?: (nonce: string) => boolean },
): Promise<HeldLock | null> {
  const now = options.now ?? Date.now;
  for (let round = 0; round < 3; round++) {
    const body: LockBody = { pid: process.pid, nonce: randomBytes(8).toString('hex'), at: now() };
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(body));
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        nonce: body.nonce,
        async release() {
          if (released) return;
          released = true;
          const current = await readLock(path);
          if (current !== 'missing' && current !== null && current.nonce === body.nonce)
            await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = await readLock(path);
    if (existing === 'missing') continue;
    const stale =
      existing === null ||
      now() - existing.at > options.staleMs ||
      !isProcessAlive(existing.pid) ||
      // Our own pid but not a lock this process holds: a previous process with a recycled pid.
      (existing.pid === process.pid && !(options.heldHere?.(existing.nonce) ?? false));
    if (!stale) return null;
    await breakStaleLock(path, existing);
  }
  return null;
}

/**
 * Moves the stale lock aside and checks that what was moved is the stale one; if a live owner
 * re-created the lock in between, its lock is put back (link fails if yet another appeared).
 */
async function breakStaleLock(path: string, stale: LockBody | null): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readLock(aside);
  const isStale = moved === null || moved === 'missing' || (stale !== null && moved.nonce === stale.nonce);
  if (!isStale) await link(aside, path).catch(() => {});
  await unlink(aside).catch(() => {});
}
