import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../../src/main/actions/process-runner';
import { icmpProbe } from '../../../src/main/netmon/icmp.probe';

/*
 * Real loss and jitter on ICMP: a network namespace the test creates, joined by a veth pair to this one
 * (10.254.77.1 ↔ 10.254.77.2, both ends on this machine). The far end is impaired with netem (20 ± 10 ms,
 * 30 % loss) where the kernel has sch_netem; where it has not, nftables in the namespace drops 30 % of the
 * echo requests at random (loss only: nftables cannot delay). Needs root and `ip netns`; each test says
 * why it is skipped where something is missing.
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
  return null;
}

/** How the far end is impaired: netem (delay, jitter and loss), nftables (loss), or why neither. */
function impair(): { kind: 'netem' | 'nft' } | { kind: 'none'; why: string } {
  const inNs = (...args: string[]) => execFileSync('ip', ['netns', 'exec', NS, ...args], { stdio: 'pipe' });
  const why: string[] = [];
  try {
    inNs('tc', 'qdisc', 'add', 'dev', PEER_IF, 'root', 'netem', 'delay', '20ms', '10ms', 'loss', '30%');
    return { kind: 'netem' };
  } catch (error) {
    why.push(`netem: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
  }
  try {
    inNs('nft', 'add', 'table', 'inet', 'dsk');
    inNs('nft', 'add', 'chain', 'inet', 'dsk', 'in', '{ type filter hook input priority 0; }');
    inNs(
      'nft',
      'add',
      'rule',
      'inet',
      'dsk',
      'in',
      'icmp',
      'type',
      'echo-request',
      'numgen',
      'random',
      'mod',
      '100',
      '<',
      '30',
      'drop',
    );
    return { kind: 'nft' };
  } catch (error) {
    why.push(`nftables: ${String((error as { stderr?: Buffer; code?: string }).stderr ?? error).trim()}`);
  }
  return { kind: 'none', why: why.join('; ') };
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
const impairment = unavailable === null ? impair() : ({ kind: 'none', why: unavailable } as const);
afterAll(tearDown);
const noLoss = 'why' in impairment ? impairment.why : null;
const noJitter =
  'why' in impairment
    ? impairment.why
    : impairment.kind === 'nft'
      ? 'nftables cannot delay; the kernel has no sch_netem'
      : null;

describe('ICMP through an impaired namespace', () => {
  it.skipIf(noLoss !== null)(
    `loss is measured${noLoss ? ` (skipped: ${noLoss})` : ` (${impairment.kind})`}`,
    async () => {
      // 30 % of 20 requests dropped: none lost has probability 0.7^20 ≈ 0.08 %.
      const r = await icmpProbe(createProcessRunner(), 'linux', '10.254.77.2', 20, 1000, new AbortController().signal);
      expect(r.sent).toBe(20);
      expect(r.received).toBeLessThan(20);
      expect(r.received).toBeGreaterThan(0);
      expect(r.error).toBeUndefined();
    },
  );

  it.skipIf(noJitter !== null)(
    `delay and jitter are measured${noJitter ? ` (skipped: ${noJitter})` : ''}`,
    async () => {
      const r = await icmpProbe(createProcessRunner(), 'linux', '10.254.77.2', 10, 1000, new AbortController().signal);
      expect(r.minMs).toBeGreaterThanOrEqual(9);
      expect(r.jitterMs).toBeGreaterThan(1);
    },
  );
});
