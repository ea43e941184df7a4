import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentState } from '../../shared/ipc/contract';
import { createJsonLogger, createStateReporter, runDaemon } from './daemon';

interface Line {
  time: string;
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug', now = () => Date.parse('2026-01-02T03:04:05Z')) {
  const lines: Line[] = [];
  const waiters: Array<{ msg: string; resolve: () => void }> = [];
  const logger = createJsonLogger({
    level,
    now,
    write: (text) => {
      expect(text.endsWith('\n')).toBe(true);
      const line = JSON.parse(text) as Line;
      lines.push(line);
      for (const w of waiters.filter((w) => w.msg === line.msg)) w.resolve();
    },
  });
  const logged = (msg: string) =>
    lines.some((l) => l.msg === msg)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ msg, resolve }));
  return { lines, logger, logged };
}

describe('createJsonLogger', () => {
  it('writes one JSON object per line with time, level, msg and fields', () => {
    const { lines, logger } = capture('debug');
    logger.info('online', { serverUrl: 'http://x' });
    logger.debug('detail');
    expect(lines).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'online', fields: { serverUrl: 'http://x' } },
      { time: '2026-01-02T03:04:05.000Z', level: 'debug', msg: 'detail' },
    ]);
  });

  it('drops lines below --log-level', () => {
    const { lines, logger } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines.map((l) => l.msg)).toEqual(['c', 'd']);
  });

  it('logs a repeated warning (a retry) at debug for ten minutes, then at warn again', () => {
    let t = 0;
    const { lines, logger } = capture('debug', () => t);
    logger.warn('content sync failed', { error: 'ECONNREFUSED' });
    t += 60_000;
    logger.warn('content sync failed', { error: 'ECONNREFUSED' });
    logger.warn('content sync failed', { error: 'other' });
    t += 10 * 60_000;
    logger.warn('content sync failed', { error: 'ECONNREFUSED' });
    expect(lines.map((l) => l.level)).toEqual(['warn', 'debug', 'warn', 'warn']);
  });
});

const state = (
  over: Omit<Partial<AgentState>, 'enrollment'> & { enrollment?: Partial<AgentState['enrollment']> },
): AgentState => ({
  computerName: 'pc',
  online: false,
  health: null,
  unread: 0,
  outbox: { pending: 0, failed: 0 },
  ...over,
  enrollment: { state: 'not-configured', serverUrl: 'http://s', deviceId: null, error: null, ...over.enrollment },
});

describe('createStateReporter', () => {
  it('logs enrolled, online and offline at info, and a retry of the same failure at debug', () => {
    const { lines, logger } = capture('debug');
    const report = createStateReporter(logger);
    const down = { state: 'failed' as const, error: 'cannot be reached' };
    report(state({ enrollment: { state: 'enrolling' } }));
    report(state({ enrollment: down }));
    report(state({ enrollment: { state: 'enrolling' } }));
    report(state({ enrollment: down }));
    report(state({ enrollment: { state: 'enrolled', deviceId: 'd1' } }));
    report(state({ enrollment: { state: 'enrolled', deviceId: 'd1' }, online: true }));
    report(state({ enrollment: { state: 'enrolled', deviceId: 'd1' }, online: false }));
    expect(lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'debug enrollment enrolling',
      'info enrollment failed',
      'debug enrollment enrolling',
      'debug enrollment failed',
      'info enrollment enrolled',
      'info online',
      'info offline',
    ]);
    expect(lines[4]!.fields).toEqual({ serverUrl: 'http://s', deviceId: 'd1' });
  });
});

describe('runDaemon', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskside-daemon-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs until SIGTERM, then stops the core, logs a final line and resolves 0; a second signal forces exit', async () => {
    const { lines, logger, logged } = capture('info');
    const signals = new EventEmitter();
    const forced: number[] = [];
    const done = runDaemon({
      dataDir: join(dir, 'agent'),
      version: '1.2.3',
      logger,
      // No server configured: nothing touches the network.
      env: { DESKSIDE_AGENT_CONFIG: join(dir, 'none.json') },
      snapshotWorkerPath: join(dir, 'missing-worker.js'),
      signals,
      forceExit: (code) => void forced.push(code),
    });
    await logged('agent started');
    expect(lines.find((l) => l.msg.startsWith('snapshot worker not found'))?.level).toBe('warn');
    expect(lines.find((l) => l.msg === 'enrollment not-configured')?.level).toBe('info');
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    expect(forced).toEqual([130]);
    expect(await done).toBe(0);
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'agent stopped', fields: { signal: 'SIGTERM' } });
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
