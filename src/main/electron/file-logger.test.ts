import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileLogger } from './file-logger';

describe('createFileLogger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskside-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes JSON lines with level, message, details and readable errors', () => {
    const file = join(dir, 'logs', 'deskside.log');
    const log = createFileLogger({ file, now: () => new Date('2026-11-24T06:00:00.000Z') });
    log.info('started', { version: '0.1.0' });
    log.error('ipc handler failed', { channel: 'tickets:list', error: new TypeError('boom') });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ time: '2026-11-24T06:00:00.000Z', level: 'info', message: 'started', version: '0.1.0' });
    expect(lines[1]).toMatchObject({
      level: 'error',
      channel: 'tickets:list',
      error: { name: 'TypeError', message: 'boom' },
    });
  });

  it('rotates past the size limit and keeps one old file', () => {
    const file = join(dir, 'rotate.log');
    const log = createFileLogger({ file, maxBytes: 200 });
    for (let i = 0; i < 20; i++) log.warn(`line ${i}`, { padding: 'x'.repeat(40) });
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(readFileSync(file, 'utf8').length).toBeLessThan(400);
    expect(readFileSync(file, 'utf8')).toContain('line 19');
  });

  it('never throws when the log cannot be written', () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where the log folder should be');
    const log = createFileLogger({ file: join(blocker, 'logs', 'write.log') });
    expect(() => log.error('lost')).not.toThrow();
  });
});
