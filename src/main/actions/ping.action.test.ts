import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import { createPathLookup } from '../diagnostics/command-runner';
import { pingArgv } from './ping.action';
import { parseUnixPing, parseWindowsPing } from './parsers/ping.parser';
import { createProcessRunner } from './process-runner';

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8');
const hasPing = await createPathLookup()('ping');

describe('net.ping', () => {
  it.skipIf(process.platform !== 'linux' || !hasPing)('pings 127.0.0.1 live and parses iputils output', async () => {
    const chunks: string[] = [];
    const result = await runAction(
      'net.ping',
      { host: '127.0.0.1', count: 2 },
      {
        runner: createProcessRunner(),
        onOutput: (c) => chunks.push(c),
      },
    );
    expect(result.error).toBeNull();
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(result.fields).toMatchObject({ host: '127.0.0.1', transmitted: 2, received: 2, lossPercent: 0 });
    const rtt = result.fields.rttMs as { min: number; avg: number; max: number };
    expect(rtt.min).toBeLessThanOrEqual(rtt.avg);
    expect(rtt.avg).toBeLessThanOrEqual(rtt.max);
    expect(chunks.join('')).toBe(result.output);
    expect(result.output).toContain('2 packets transmitted, 2 received');
  });

  it('builds each OS argument array with the host as an operand', () => {
    const p = { host: 'intranet.example.com', count: 3 };
    expect(pingArgv('linux', p)).toEqual(['ping', ['-n', '-c', '3', '-W', '2', '--', 'intranet.example.com']]);
    expect(pingArgv('darwin', p)).toEqual(['ping', ['-n', '-c', '3', '-W', '2000', '--', 'intranet.example.com']]);
    expect(pingArgv('darwin', { host: '::1', count: 3 })).toEqual(['ping6', ['-n', '-c', '3', '--', '::1']]);
    expect(pingArgv('win32', p)).toEqual(['ping', ['-n', '3', '-w', '2000', 'intranet.example.com']]);
  });

  it('reports 100% loss (ping exits 1) as an answer, not a failure to run', async () => {
    const runner = fakeProcessRunner({
      'ping -n -c 3 -W 2 -- 10.9.9.9': { exitCode: 1, stdout: fixture('linux/actions/ping-loss.txt') },
    });
    const result = await runAction('net.ping', { host: '10.9.9.9', count: 3 }, { runner, platform: 'linux' });
    expect(result).toMatchObject({ ok: true, exitCode: 1 });
    expect(result.fields).toEqual({ host: '10.9.9.9', transmitted: 3, received: 0, lossPercent: 100, rttMs: null });
  });

  it('runs Windows ping -n and parses its statistics (fixture)', async () => {
    const runner = fakeProcessRunner({ 'ping -n 4 -w 2000 192.168.1.1': fixture('windows/actions/ping-n.txt') });
    const result = await runAction('net.ping', { host: '192.168.1.1' }, { runner, platform: 'win32' });
    expect(result.fields).toEqual({
      host: '192.168.1.1',
      transmitted: 4,
      received: 3,
      lossPercent: 25,
      rttMs: { min: 0, avg: 1, max: 2 },
    });
    expect(parseWindowsPing(fixture('windows/actions/ping-n-lost.txt'))).toEqual({
      transmitted: 2,
      received: 0,
      lossPercent: 100,
      rttMs: null,
    });
  });

  it('parses macOS ping statistics (fixture)', () => {
    expect(parseUnixPing(fixture('macos/actions/ping.txt'))).toEqual({
      transmitted: 4,
      received: 3,
      lossPercent: 25,
      rttMs: { min: 2.978, avg: 3.431, max: 4.102 },
    });
    expect(parseUnixPing('no statistics here')).toBeNull();
  });

  it('says so when ping is not installed', async () => {
    const result = await runAction(
      'net.ping',
      { host: '127.0.0.1' },
      { runner: fakeProcessRunner(), platform: 'linux' },
    );
    expect(result.error).toEqual({ code: 'not_found', message: 'ping is not installed' });
  });
});
