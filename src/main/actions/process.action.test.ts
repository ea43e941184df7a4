import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import { createLinuxProcessTable, processNamesMatch } from './process-table';
import type { ProcessRow } from './types';

const runner = fakeProcessRunner();
const linux = process.platform === 'linux';
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function sleeper(): ChildProcess {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('process.top', () => {
  it.skipIf(!linux)('lists this machine’s processes from /proc, sorted and cut', async () => {
    const result = await runAction(
      'process.top',
      { count: 5, sortBy: 'memory' },
      {
        runner,
        ports: { processes: createLinuxProcessTable() },
      },
    );
    expect(result.error).toBeNull();
    const rows = result.fields.processes as ProcessRow[];
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.memoryBytes)).toEqual([...rows.map((r) => r.memoryBytes)].sort((a, b) => b - a));
    expect(result.fields.total as number).toBeGreaterThanOrEqual(5);
    expect(result.output.split('\n')[0]).toMatch(/PID\s+CPU%\s+MEM MiB\s+NAME/);
  });

  it('sorts by CPU from the table port', async () => {
    const table = {
      list: async () => [
        { pid: 1, name: 'a', cpuPercent: 1, memoryBytes: 9 },
        { pid: 2, name: 'b', cpuPercent: 50, memoryBytes: 1 },
        { pid: 3, name: 'c', cpuPercent: 20, memoryBytes: 5 },
      ],
      nameOf: async () => null,
    };
    const result = await runAction('process.top', { count: 2 }, { runner, ports: { processes: table } });
    expect((result.fields.processes as ProcessRow[]).map((r) => r.pid)).toEqual([2, 3]);
  });
});

describe('process.end', () => {
  it.skipIf(!linux)('ends a child process the test spawned, after checking its name', async () => {
    const child = sleeper();
    await once(child, 'spawn');
    const exited = once(child, 'exit');
    const result = await runAction(
      'process.end',
      { pid: child.pid!, name: 'sleep' },
      {
        runner,
        ports: { processes: createLinuxProcessTable() },
      },
    );
    expect(result.error).toBeNull();
    expect(result.fields).toEqual({ pid: child.pid, name: 'sleep', ended: true });
    const [, signal] = await exited;
    expect(signal).toBe('SIGTERM');
  });

  it.skipIf(!linux)('leaves a process alone when its name does not match (a reused pid)', async () => {
    const child = sleeper();
    await once(child, 'spawn');
    const result = await runAction(
      'process.end',
      { pid: child.pid!, name: 'chrome' },
      {
        runner,
        ports: { processes: createLinuxProcessTable() },
      },
    );
    expect(result.error?.code).toBe('name-mismatch');
    expect(result.fields).toMatchObject({ actualName: 'sleep', ended: false });
    expect(child.exitCode).toBeNull();
    expect(process.kill(child.pid!, 0)).toBe(true);
  });

  it('answers no-such-process for a pid that is gone, and never ends the agent itself', async () => {
    const killed: number[] = [];
    const ports = {
      processes: { list: async () => [], nameOf: async () => null },
      kill: (pid: number) => void killed.push(pid),
    };
    expect((await runAction('process.end', { pid: 999_999, name: 'x' }, { runner, ports })).error?.code).toBe(
      'no-such-process',
    );
    const self = await runAction('process.end', { pid: process.pid, name: 'node' }, { runner, ports });
    expect(self.error?.code).toBe('refused');
    expect(killed).toEqual([]);
  });

  it('matches names case-insensitively, with an optional .exe and Linux’s 15-character comm', () => {
    expect(processNamesMatch('Teams.exe', 'teams')).toBe(true);
    expect(processNamesMatch('chrome', 'Chrome.exe')).toBe(true);
    expect(processNamesMatch('gnome-shell-cal', 'gnome-shell-calendar-server')).toBe(true);
    expect(processNamesMatch('gnome-shell', 'gnome-shell-calendar-server')).toBe(false);
    expect(processNamesMatch('sleep', 'sleeper')).toBe(false);
  });
});
