import { lstat, readdir, unlink } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionParams } from '../../shared/actions/catalog';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

const MAX_DEPTH = 32;
const DAY_MS = 86_400_000;

/** The folders cleared by default: this user's temp folder and, on Linux, the user cache's tmp. */
export function defaultTempDirs(
  platform: 'linux' | 'win32' | 'darwin',
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const dirs = [tmpdir()];
  if (platform === 'linux') dirs.push(join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tmp'));
  return dirs;
}

interface Tally {
  files: number;
  bytes: number;
  skipped: number;
}

/**
 * Deletes regular files last modified before the cut-off, below each folder. Symbolic links are never
 * followed (lstat; a link is neither entered nor its target deleted) and folders are left in place, so
 * nothing outside the folders is touched. Files that cannot be deleted (in use, another user's) are counted
 * as skipped.
 */
async function clearTree(dir: string, cutoff: number, tally: Tally, signal: AbortSignal, depth = 0): Promise<void> {
  if (depth > MAX_DEPTH || signal.aborted) return;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    tally.skipped++;
    return;
  }
  for (const name of names) {
    if (signal.aborted) return;
    const path = join(dir, name);
    let info;
    try {
      info = await lstat(path);
    } catch {
      continue;
    }
    if (info.isDirectory()) await clearTree(path, cutoff, tally, signal, depth + 1);
    else if (info.isFile() && info.mtimeMs < cutoff) {
      try {
        await unlink(path);
        tally.files++;
        tally.bytes += info.size;
      } catch {
        tally.skipped++;
      }
    }
  }
}

function clearTemp(platform: 'linux' | 'win32' | 'darwin') {
  return async (p: ActionParams<'disk.clear-temp'>, ctx: ActionContext): Promise<ImplOutcome> => {
    const dirs = ctx.ports.tempDirs?.() ?? defaultTempDirs(platform);
    if (dirs.length === 0) return failed('unsupported', 'No temporary folders are configured');
    const cutoff = (ctx.ports.now?.() ?? new Date()).getTime() - p.olderThanDays * DAY_MS;
    const perDir: { dir: string; files: number; bytes: number; skipped: number }[] = [];
    for (const dir of dirs) {
      const tally: Tally = { files: 0, bytes: 0, skipped: 0 };
      const root = await lstat(dir).catch(() => null);
      // The folder itself must be a real folder, not a link to somewhere else.
      if (root?.isDirectory()) await clearTree(dir, cutoff, tally, ctx.signal);
      perDir.push({ dir, ...tally });
      ctx.write(`${dir}: ${tally.files} file(s), ${tally.bytes} bytes freed, ${tally.skipped} skipped\n`);
    }
    const sum = (k: keyof Tally) => perDir.reduce((n, d) => n + d[k], 0);
    return done({
      olderThanDays: p.olderThanDays,
      filesDeleted: sum('files'),
      bytesFreed: sum('bytes'),
      skipped: sum('skipped'),
      folders: perDir,
    });
  };
}

/** disk.clear-temp on each OS. */
export const clearTempAction: ActionImpls<'disk.clear-temp'> = {
  linux: clearTemp('linux'),
  darwin: clearTemp('darwin'),
  win32: clearTemp('win32'),
};
