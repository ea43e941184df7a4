import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePingEchoes } from '../actions/parsers/ping.parser';
import { icmpFromOutput } from './icmp.probe';
import { networkOf } from './link.probe';
import { summarize } from './netmon-stats';

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8');

describe('loss, latency and jitter', () => {
  it('summarizes answered round trips; jitter is the mean difference of consecutive ones', () => {
    expect(summarize(4, [10, null, 30, 20])).toEqual({
      sent: 4,
      received: 3,
      rttMs: 20,
      minMs: 10,
      maxMs: 30,
      jitterMs: 15,
    });
    expect(summarize(2, [null, null])).toMatchObject({ received: 0, rttMs: null, jitterMs: null });
    expect(summarize(1, [5])).toMatchObject({ received: 1, jitterMs: null });
  });

  it('reads per-echo times of BSD (macOS) and Windows ping, and their loss', () => {
    expect(parsePingEchoes(fixture('macos/actions/ping.txt'))).toEqual([3.214, 2.978, 4.102]);
    expect(parsePingEchoes(fixture('windows/actions/ping-n.txt'))).toEqual([2, 1, 0.5]);
    const mac = icmpFromOutput('darwin', 4, { exitCode: 2, stdout: fixture('macos/actions/ping.txt'), stderr: '' });
    expect(mac).toMatchObject({ sent: 4, received: 3, minMs: 2.98, maxMs: 4.1 });
    expect(mac.jitterMs).toBeCloseTo((0.236 + 1.124) / 2, 2);
    const lost = icmpFromOutput('win32', 2, {
      exitCode: 1,
      stdout: fixture('windows/actions/ping-n-lost.txt'),
      stderr: '',
    });
    expect(lost).toMatchObject({ sent: 2, received: 0, error: 'timeout' });
    const unreachable = icmpFromOutput('linux', 3, {
      exitCode: 1,
      stdout: fixture('linux/actions/ping-loss.txt'),
      stderr: '',
    });
    expect(unreachable).toMatchObject({ sent: 3, received: 0, error: 'unreachable' });
  });

  it('tells "not allowed to ping" from a lost echo', () => {
    const r = icmpFromOutput('linux', 4, {
      exitCode: 2,
      stdout: '',
      stderr: 'ping: socket: Operation not permitted\n',
    });
    expect(r).toMatchObject({ sent: 0, error: 'ping-not-allowed' });
  });

  it('the subnet of an address', () => {
    expect(networkOf('192.168.1.37/24')).toBe('192.168.1.0/24');
    expect(networkOf('10.20.30.40/12')).toBe('10.16.0.0/12');
    expect(networkOf('fe80::1/64')).toBeNull();
  });
});
