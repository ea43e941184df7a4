import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/*
 * Durable file writes: the data goes to a temporary file in the same folder, is flushed to disk,
 * renamed over the target (atomic on every OS we support), and the folder entry is flushed too.
 * A crash at any point leaves either the old file or the new one, never a torn one.
 */

/** Temporary files start with this prefix so readers of a folder can skip (and sweep) them. */
export const TEMP_PREFIX = '.tmp-';

function tempPathFor(file: string): string {
  return join(dirname(file), `${TEMP_PREFIX}${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/** Flushes a folder's entries (renames, creations); a no-op where folders cannot be opened (Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to `file` atomically and durably; `mode` applies to the new file (e.g. 0o600).
 * Returns the written file's stats (inode, mtime and size survive the rename), so a caller can tell
 * its own write from a later one by another process.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<Stats> {
  await mkdir(dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  let stats: Stats;
  try {
    await handle.writeFile(data);
    await handle.sync();
    stats = await handle.stat();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await fsyncDir(dirname(file));
  return stats;
}

/** The synchronous twin of writeFileAtomic, for settings stores whose interface is synchronous. */
export function writeFileAtomicSync(file: string, data: string, options: { mode?: number } = {}): void {
  const temp = tempPathFor(file);
  const fd = openSync(temp, 'wx', options.mode ?? 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  if (process.platform !== 'win32') {
    const dirFd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

/** Reads a JSON file; undefined when it does not exist. Other errors (and bad JSON) throw. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/** Synchronous readJsonFile. */
export function readJsonFileSync(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}
