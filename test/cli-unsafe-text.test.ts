import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthySnapshot } from './fixtures/snapshot-factory';
import { runDeskside } from './helpers/cli';

/*
 * Snapshot files are machine documents: a NUL or a lone surrogate in a process or host name is
 * repaired to U+FFFD, never a reason to refuse the file (issue 10). Written as raw JSON escapes,
 * as a program on another computer would have saved them.
 */

let dir: string;
let before: string;
let after: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-unsafe-'));
  before = join(dir, 'before.json');
  after = join(dir, 'after.json');
  const json = JSON.stringify(healthySnapshot());
  await writeFile(before, json);
  await writeFile(
    after,
    json
      .replace('"gnome-shell"', '"gnome\\u0000shell\\ud800"')
      .replace(/"hostname":"([^"]*)"/, '"hostname":"$1\\u0000\\udc00"'),
  );
});

describe('snapshot files holding NUL and lone surrogates', () => {
  it('are checked with check --input, not refused', async () => {
    const run = await runDeskside(['check', '--input', after, '--json']);
    expect(run.stderr).toBe('');
    expect([0, 1]).toContain(run.code);
    expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
  });

  it('are compared with diff, the odd characters shown as U+FFFD', async () => {
    const run = await runDeskside(['diff', before, after, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).not.toContain('\u0000');
    expect(out).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    expect(out).toContain('\uFFFD\uFFFD');
  });
});
