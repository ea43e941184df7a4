import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../../src/main/actions/process-runner';
import { icmpProbe } from '../../../src/main/netmon/icmp.probe';

/*
 * Real loss and jitter on ICMP: a network namespace the test creates, joined by a veth pair to this one
 * (10.254.77.1 ↔ 10.254.77.2, both ends on this machine), with netem on the far end adding 20 ± 10 ms and
 * 30 % loss. Needs root, `ip netns` and the kernel's sch_netem; skipped, saying why, where any is missing.
 */

const NS = `dsk-netmon-${process.pid}`;
const HOST_IF = `dskn${process.pid % 10000}a`;
const PEER_IF = `dskn${process.pid % 10000}b`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

function setUp(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs root on Linux';
  try {
    ip('netns', 'add', NS);
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', PEER_IF);
    ip('link', 'set', PEER_IF, 'netns', NS);
    ip('addr', 'add', '10.254.77.1/30', 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'addr', 'add', '10.254.77.2/30', 'dev', PEER_IF);
    ip('netns', 'exec', NS, 'ip', 'link', 'set', PEER_IF, 'up');
  } catch (error) {
    tearDown();
    return `ip netns / veth unavailable: ${String(error).split('\n')[0]}`;
  }
  try {
    execFileSync(
      'ip',
      [
        'netns',
        'exec',
        NS,
        'tc',
        'qdisc',
        'add',
        'dev',
        PEER_IF,
        'root',
        'netem',
        'delay',
        '20ms',
        '10ms',
        'loss',
        '30%',
      ],
      {
        stdio: 'pipe',
      },
    );
  } catch (error) {
    tearDown();
    return `netem is not available in this kernel (tc: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`;
  }
  return null;
}

function tearDown(): void {
  for (const args of [
    ['link', 'del', HOST_IF],
    ['netns', 'del', NS],
  ])
    try {
      ip(...args);
    } catch {
      // already gone
    }
}

const unavailable = setUp();
afterAll(tearDown);

describe('ICMP through a namespace with netem', () => {
  it.skipIf(unavailable !== null)(
    `loss and jitter are measured${unavailable ? ` (skipped: ${unavailable})` : ''}`,
    async () => {
      const r = await icmpProbe(createProcessRunner(), 'linux', '10.254.77.2', 10, 1000, new AbortController().signal);
      expect(r.sent).toBe(10);
      expect(r.received).toBeLessThan(10);
      expect(r.minMs).toBeGreaterThanOrEqual(9);
      expect(r.jitterMs).toBeGreaterThan(1);
    },
  );
});
