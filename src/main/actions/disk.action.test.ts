import { mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import { defaultTempDirs } from './disk.action';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

describe('disk.clear-temp', () => {
  let base = '';
  let temp = '';
  let outside = '';
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'deskside-clear-temp-'));
    temp = join(base, 'temp');
    outside = join(base, 'outside');
    await mkdir(join(temp, 'nested', 'deeper'), { recursive: true });
    await mkdir(outside);
    const file = async (path: string, bytes: number, age: number) => {
      await writeFile(path, Buffer.alloc(bytes));
      await utimes(path, daysAgo(age), daysAgo(age));
    };
    await file(join(temp, 'old.tmp'), 1000, 10);
    await file(join(temp, 'nested', 'deeper', 'old.log'), 234, 30);
    await file(join(temp, 'new.tmp'), 50, 1);
    await file(join(outside, 'precious.doc'), 777, 100);
    // Links to outside the folder: neither the linked file nor the linked folder is touched.
    await symlink(join(outside, 'precious.doc'), join(temp, 'link-to-file'));
    await symlink(outside, join(temp, 'link-to-dir'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('deletes files older than N days under the given folders, never following links, and reports bytes freed', async () => {
    const result = await runAction(
      'disk.clear-temp',
      { olderThanDays: 7 },
      {
        runner: fakeProcessRunner(),
        ports: { tempDirs: () => [temp], now: () => NOW },
      },
    );
    expect(result.error).toBeNull();
    expect(result.fields).toMatchObject({ olderThanDays: 7, filesDeleted: 2, bytesFreed: 1234, skipped: 0 });
    expect((await readdir(temp)).sort()).toEqual(['link-to-dir', 'link-to-file', 'nested', 'new.tmp']);
    expect(await readdir(join(temp, 'nested', 'deeper'))).toEqual([]);
    expect((await stat(join(outside, 'precious.doc'))).size).toBe(777);
    expect(result.output).toContain(`${temp}: 2 file(s), 1234 bytes freed`);
  });

  it('does not enter a temp folder that is itself a link', async () => {
    const link = join(base, 'temp-link');
    await symlink(outside, link);
    const result = await runAction(
      'disk.clear-temp',
      { olderThanDays: 1 },
      {
        runner: fakeProcessRunner(),
        ports: { tempDirs: () => [link], now: () => NOW },
      },
    );
    expect(result.fields).toMatchObject({ filesDeleted: 0, bytesFreed: 0 });
    expect(await readdir(outside)).toEqual(['precious.doc']);
  });

  it('defaults to os.tmpdir() and, on Linux, the user cache’s tmp', () => {
    expect(defaultTempDirs('linux', { XDG_CACHE_HOME: '/home/u/.cache' })).toEqual([tmpdir(), '/home/u/.cache/tmp']);
    expect(defaultTempDirs('win32', {})).toEqual([tmpdir()]);
  });
});
