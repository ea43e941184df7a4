import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { createPathLookup } from '../diagnostics/command-runner';
import { runAction } from './action-runner';
import { parseTracepath, parseTraceroute, parseTracert, tracerouteTarget } from './parsers/traceroute.parser';
import { createProcessRunner } from './process-runner';
import { tracerouteArgv } from './traceroute.action';

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8');
const lookup = createPathLookup();
const hasTool = (await lookup('traceroute')) || (await lookup('tracepath'));

describe('net.traceroute', () => {
  it.skipIf(process.platform !== 'linux' || !hasTool)('traces 127.0.0.1 live (traceroute or tracepath)', async () => {
    const result = await runAction(
      'net.traceroute',
      { host: '127.0.0.1', maxHops: 3 },
      { runner: createProcessRunner() },
    );
    expect(result.error).toBeNull();
    expect(result.fields).toMatchObject({ host: '127.0.0.1', reached: true });
    const hops = result.fields.hops as { hop: number; address: string | null }[];
    expect(hops[hops.length - 1]).toMatchObject({ hop: 1, address: '127.0.0.1' });
  });

  it('builds each OS argument array', () => {
    const p = { host: 'example.com', maxHops: 12 };
    expect(tracerouteArgv('linux', p)).toEqual([
      ['traceroute', ['-n', '-m', '12', 'example.com']],
      ['tracepath', ['-n', '-m', '12', '--', 'example.com']],
    ]);
    expect(tracerouteArgv('darwin', p)).toEqual([['traceroute', ['-n', '-m', '12', '--', 'example.com']]]);
    expect(tracerouteArgv('win32', p)).toEqual([['tracert', ['-d', '-h', '12', 'example.com']]]);
  });

  it('falls back to tracepath when traceroute is missing, and says unsupported when both are', async () => {
    const runner = fakeProcessRunner({
      'tracepath -n -m 30 -- 93.184.216.34': fixture('linux/actions/tracepath-n.txt'),
    });
    const result = await runAction('net.traceroute', { host: '93.184.216.34' }, { runner, platform: 'linux' });
    expect(runner.calls.map((c) => c.command)).toEqual(['traceroute', 'tracepath']);
    expect(result.fields).toMatchObject({ program: 'tracepath', reached: true });
    const none = await runAction(
      'net.traceroute',
      { host: '93.184.216.34' },
      { runner: fakeProcessRunner(), platform: 'linux' },
    );
    expect(none.error?.code).toBe('unsupported');
    expect(none.error?.message).toContain('Neither traceroute nor tracepath');
  });

  it('parses Linux traceroute -n and tracepath -n (fixtures)', () => {
    expect(parseTraceroute(fixture('linux/actions/traceroute-n.txt'))).toEqual([
      { hop: 1, address: '192.168.1.1', rttMs: [0.512, 0.498, 0.476] },
      { hop: 2, address: '10.20.0.1', rttMs: [8.123, 8.456, 8.001] },
      { hop: 3, address: null, rttMs: [] },
      { hop: 4, address: '93.184.216.34', rttMs: [13.456, 13.501, 13.388] },
    ]);
    expect(parseTracepath(fixture('linux/actions/tracepath-n.txt'))).toEqual({
      reached: true,
      hops: [
        { hop: 1, address: '192.168.1.1', rttMs: [0.612, 0.54] },
        { hop: 2, address: '10.20.0.1', rttMs: [8.21] },
        { hop: 3, address: null, rttMs: [] },
        { hop: 4, address: '93.184.216.34', rttMs: [13.402] },
      ],
    });
  });

  it('knows a named target was reached from the address in traceroute’s header', async () => {
    const runner = fakeProcessRunner({ 'traceroute -n -m 30 example.com': fixture('linux/actions/traceroute-n.txt') });
    const result = await runAction('net.traceroute', { host: 'example.com' }, { runner, platform: 'linux' });
    expect(result.fields).toMatchObject({ host: 'example.com', reached: true, program: 'traceroute' });
    expect(tracerouteTarget('traceroute to example.com (93.184.216.34), 64 hops max, 52 byte packets')).toBe(
      '93.184.216.34',
    );
  });

  it('parses macOS traceroute -n: several routers on one hop, !H annotations (fixture)', async () => {
    const runner = fakeProcessRunner({
      'traceroute -n -m 30 -- 93.184.216.34': fixture('macos/actions/traceroute-n.txt'),
    });
    const result = await runAction('net.traceroute', { host: '93.184.216.34' }, { runner, platform: 'darwin' });
    expect(result.fields.reached).toBe(true);
    expect(result.fields.hops).toEqual([
      { hop: 1, address: '192.168.1.1', rttMs: [2.345, 1.987, 2.101] },
      { hop: 2, address: '10.20.0.1', rttMs: [9.876, 10.012, 9.654] },
      { hop: 3, address: null, rttMs: [] },
      { hop: 4, address: '203.0.113.9', rttMs: [12.345, 12.876, 13.001] },
      { hop: 5, address: '93.184.216.34', rttMs: [14.222, 14.1, 14.333] },
    ]);
  });

  it('parses Windows tracert -d: <1 ms, lost probes, timed-out hops (fixture)', async () => {
    expect(parseTracert(fixture('windows/actions/tracert-d.txt'))).toEqual([
      { hop: 1, address: '192.168.1.1', rttMs: [0.5, 0.5, 0.5] },
      { hop: 2, address: '10.20.0.1', rttMs: [9, 8, 10] },
      { hop: 3, address: null, rttMs: [] },
      { hop: 4, address: '203.0.113.9', rttMs: [12, 13] },
      { hop: 5, address: '93.184.216.34', rttMs: [14, 14, 15] },
    ]);
    const runner = fakeProcessRunner({ 'tracert -d -h 30 93.184.216.34': fixture('windows/actions/tracert-d.txt') });
    const result = await runAction('net.traceroute', { host: '93.184.216.34' }, { runner, platform: 'win32' });
    expect(result.fields.reached).toBe(true);
  });
});
