import { isIpv6 } from '../../shared/actions/params';
import type { Argv } from '../actions/exec-utils';
import { parsePingEchoes, parseUnixPing, parseWindowsPing } from '../actions/parsers/ping.parser';
import type { ProcessRunner } from '../actions/process-runner';
import { summarize, type Measured } from './netmon-stats';

export type NetmonPlatform = 'linux' | 'win32' | 'darwin';

/** An ICMP probe's answer: the measurements, or why ping could not measure (`ping-not-allowed` → use TCP). */
export type IcmpOutcome = Measured & { error?: string };

/**
 * The ping command line for `count` echoes with a per-echo wait of `timeoutMs` (argument arrays, the host
 * as an operand after `--` where ping's getopt takes it, as net.ping does). Linux sends every 0.2 s, the
 * shortest interval iputils allows a user; macOS and Windows keep their 1 s.
 */
export function netmonPingArgv(platform: NetmonPlatform, host: string, count: number, timeoutMs: number): Argv {
  const n = String(count);
  switch (platform) {
    case 'linux':
      return ['ping', ['-n', '-c', n, '-i', '0.2', '-W', String(Math.max(1, Math.ceil(timeoutMs / 1000))), '--', host]];
    case 'darwin':
      return isIpv6(host)
        ? ['ping6', ['-n', '-c', n, '--', host]]
        : ['ping', ['-n', '-c', n, '-W', String(timeoutMs), '--', host]];
    case 'win32':
      return ['ping', ['-n', n, '-w', String(timeoutMs), host]];
  }
}

/** What ping prints when the OS does not let this user send ICMP (no setuid bit, no ping_group_range, a sandbox). */
const NOT_ALLOWED = /operation not permitted|permission denied|socket: |ping: socket|must be root|requires root/i;

/** Turns a finished ping into measurements: echoes from the per-reply lines, sent from the summary. */
export function icmpFromOutput(
  platform: NetmonPlatform,
  count: number,
  output: { exitCode: number | null; stdout: string; stderr: string },
): IcmpOutcome {
  const summary = platform === 'win32' ? parseWindowsPing(output.stdout) : parseUnixPing(output.stdout);
  if (!summary) {
    const text = `${output.stderr}\n${output.stdout}`;
    if (NOT_ALLOWED.test(text)) return { ...summarize(0, []), error: 'ping-not-allowed' };
    // iputils and BSD ping exit 2 (Windows prints "could not find host") when the name does not resolve.
    if (/unknown host|not known|could not find host|cannot resolve/i.test(text))
      return { ...summarize(count, []), error: 'nxdomain' };
    return { ...summarize(count, []), error: 'ping-failed' };
  }
  const echoes = parsePingEchoes(output.stdout);
  const rtts: (number | null)[] = echoes.slice(0, summary.transmitted);
  // Windows counts "Destination host unreachable" replies (from a router) as received; only timed echoes count here.
  const measured = summarize(summary.transmitted, rtts);
  if (measured.received === 0) {
    const unreachable = /unreachable/i.test(output.stdout);
    return { ...measured, error: unreachable ? 'unreachable' : 'timeout' };
  }
  return measured;
}

/** Pings `host` `count` times through the OS's ping program; the signal bounds the whole run. */
export async function icmpProbe(
  runner: ProcessRunner,
  platform: NetmonPlatform,
  host: string,
  count: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<IcmpOutcome> {
  const [command, args] = netmonPingArgv(platform, host, count, timeoutMs);
  const result = await runner.run(command, args, { signal, stream: false, keepChars: 64 * 1024 });
  if (!result.ok) {
    if (result.error.code === 'not_found') return { ...summarize(0, []), error: 'ping-not-allowed' };
    return { ...summarize(count, []), error: result.error.code === 'aborted' ? 'timeout' : 'ping-failed' };
  }
  return icmpFromOutput(platform, count, result.value);
}
