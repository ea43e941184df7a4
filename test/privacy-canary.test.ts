import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema } from '../src/shared/snapshot';
import { cliEnvironment, runDeskside } from './helpers/cli';

// Three secrets planted where a careless collector would find them.
const ENV_CANARY = `envcanary${Math.random().toString(36).slice(2)}`;
const ARG_CANARY = `argcanary${Math.random().toString(36).slice(2)}`;
const FILE_CANARY = `filecanary${Math.random().toString(36).slice(2)}`;

let home: string;
let hog: ChildProcess;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'deskside-home-'));
  await mkdir(join(home, '.ssh'));
  await writeFile(join(home, '.ssh', 'id_ed25519'), `-----BEGIN OPENSSH PRIVATE KEY-----\n${FILE_CANARY}\n`);
  await writeFile(join(home, '.netrc'), `machine intranet login alice password ${FILE_CANARY}\n`);
  // A busy process whose command line carries a secret: it must show up by name, never by arguments.
  hog = spawn(process.execPath, ['-e', 'for (;;) {}', '--', `--password=${ARG_CANARY}`], { stdio: 'ignore' });
  await busyFor(hog.pid!, 20);
});

/** Resolves once the process has used `ticks` clock ticks of CPU (/proc/PID/stat utime + stime). */
async function busyFor(pid: number, ticks: number): Promise<void> {
  for (;;) {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    if (Number(fields[11]) + Number(fields[12]) >= ticks) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

afterAll(async () => {
  hog?.kill('SIGKILL');
  await rm(home, { recursive: true, force: true });
});

describe('privacy by construction', () => {
  it('never puts environment variables, command lines or home files into a snapshot', async () => {
    const env = cliEnvironment({ HOME: home, DESKSIDE_CANARY_TOKEN: ENV_CANARY, API_KEY: ENV_CANARY });
    const run = await runDeskside(['snapshot', '--json', `--check-url=http://127.0.0.1:9/${'x'}`], { env });
    expect(run.code).toBe(0);
    const snapshot = snapshotSchema.parse(JSON.parse(run.stdout));
    const text = run.stdout + run.stderr;
    for (const canary of [ENV_CANARY, ARG_CANARY, FILE_CANARY]) expect(text).not.toContain(canary);
    // The planted process was seen, so its absence from the text is not an accident of sampling.
    const listed = [
      ...(snapshot.sections.processes?.topByCpu ?? []),
      ...(snapshot.sections.processes?.topByMemory ?? []),
    ];
    expect(listed.some((p) => p.pid === hog.pid && p.name === 'node')).toBe(true);
    expect(text).not.toContain(home);
  });
});
