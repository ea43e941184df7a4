import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/snapshot';
import { createProcessCollector, type CollectRequest, type SnapshotProcess } from './snapshot-process';

const silent = { info() {}, warn() {}, error() {} };
const agent = { name: 'Deskside', version: '1.0.0' };
const snapshot = { sections: {}, probes: {} } as unknown as Snapshot;

/** A child process played in memory: it records what it was sent and answers as `answer` says. */
function fakeProcess(answer: (request: CollectRequest, child: EventEmitter) => void) {
  const started: { sent: CollectRequest[]; killed: boolean }[] = [];
  const spawn = (): SnapshotProcess => {
    const events = new EventEmitter();
    const record = { sent: [] as CollectRequest[], killed: false };
    started.push(record);
    return {
      send: (message) => {
        record.sent.push(message);
        queueMicrotask(() => answer(message, events));
      },
      onMessage: (listener) => void events.on('message', listener),
      onExit: (listener) => void events.on('exit', listener),
      kill: () => void (record.killed = true),
    };
  };
  return { spawn, started };
}

describe('snapshot process collector', () => {
  it('starts one process per collection, sends the options and returns its snapshot', async () => {
    const { spawn, started } = fakeProcess((_request, child) => {
      child.emit('message', { type: 'result', snapshot });
      child.emit('exit', 0);
    });
    const collector = createProcessCollector(spawn, agent, silent);
    expect(await collector.collect({ omit: ['printers'], redact: true })).toBe(snapshot);
    expect(await collector.collect({})).toBe(snapshot);
    expect(started).toHaveLength(2);
    expect(started[0]?.sent).toEqual([{ type: 'collect', agent, options: { omit: ['printers'], redact: true } }]);
    expect(started.every((s) => !s.killed)).toBe(true);
  });

  it("rejects with the child's error, or when it exits or answers nonsense, and stops it", async () => {
    const answers: ((child: EventEmitter) => void)[] = [
      (child) => child.emit('message', { type: 'error', message: 'probe exploded' }),
      (child) => child.emit('exit', 1),
      (child) => child.emit('message', { type: 'result', snapshot: 'not a snapshot' }),
    ];
    const { spawn, started } = fakeProcess((_request, child) => answers.shift()?.(child));
    const collector = createProcessCollector(spawn, agent, silent);
    await expect(collector.collect({})).rejects.toThrow('probe exploded');
    await expect(collector.collect({})).rejects.toThrow('exited (1) without a snapshot');
    await expect(collector.collect({})).rejects.toThrow('answered something unexpected');
    expect(started.map((s) => s.killed)).toEqual([true, true, true]);
  });

  it('stops a process that does not answer in time', async () => {
    const { spawn, started } = fakeProcess(() => {});
    const collector = createProcessCollector(spawn, agent, silent, 5);
    await expect(collector.collect({})).rejects.toThrow('took too long');
    expect(started[0]?.killed).toBe(true);
  });

  it('rejects when the process cannot be started', async () => {
    const collector = createProcessCollector(
      () => {
        throw new Error('spawn ENOENT');
      },
      agent,
      silent,
    );
    await expect(collector.collect({})).rejects.toThrow('spawn ENOENT');
  });
});
