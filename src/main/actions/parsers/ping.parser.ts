import { splitLines } from '../../diagnostics/parsers/parse-utils';

/** What a ping answers: packets, loss and round-trip times (null when nothing answered). */
export interface PingSummary {
  transmitted: number;
  received: number;
  lossPercent: number;
  rttMs: { min: number; avg: number; max: number } | null;
}

/**
 * Reads the statistics of iputils `ping` (Linux) and BSD `ping` (macOS):
 * `N packets transmitted, M received, X% packet loss` (macOS: `M packets received`, `X.0%`) and
 * `rtt min/avg/max/mdev = a/b/c/d ms` (macOS: `round-trip min/avg/max/stddev = …`).
 */
export function parseUnixPing(text: string): PingSummary | null {
  const counts =
    /(\d+) packets transmitted, (\d+) (?:packets )?received,(?: \+\d+ errors?,)? ([\d.]+)% packet loss/.exec(text);
  if (!counts) return null;
  const rtt = /(?:rtt|round-trip) min\/avg\/max\/(?:mdev|stddev) = ([\d.]+)\/([\d.]+)\/([\d.]+)\/[\d.]+ ms/.exec(text);
  return {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    lossPercent: Number(counts[3]),
    rttMs: rtt ? { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } : null,
  };
}

/**
 * Reads Windows `ping -n` statistics: `Packets: Sent = 4, Received = 3, Lost = 1 (25% loss),` and
 * `Minimum = 0ms, Maximum = 1ms, Average = 0ms` (absent when nothing answered).
 */
export function parseWindowsPing(text: string): PingSummary | null {
  const lines = splitLines(text).join('\n');
  const counts = /Sent = (\d+), Received = (\d+), Lost = \d+ \((\d+)% loss\)/.exec(lines);
  if (!counts) return null;
  const rtt = /Minimum = (\d+)ms, Maximum = (\d+)ms, Average = (\d+)ms/.exec(lines);
  return {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    lossPercent: Number(counts[3]),
    rttMs: rtt ? { min: Number(rtt[1]), avg: Number(rtt[3]), max: Number(rtt[2]) } : null,
  };
}

/**
 * The round trip of each echo reply, in order, in ms: iputils and BSD print `time=0.045 ms` per reply
 * (duplicates, marked `DUP!`, are skipped), Windows prints `time=2ms` or `time<1ms` (read as 0.5 ms: below
 * its 1 ms resolution). Loss and jitter come from these, since the summary line has no per-echo times.
 */
export function parsePingEchoes(text: string): number[] {
  const times: number[] = [];
  for (const line of splitLines(text)) {
    if (line.includes('DUP!')) continue;
    const m = /\btime([=<])\s?([\d.]+)\s?ms\b/i.exec(line);
    if (!m) continue;
    const value = Number(m[2]);
    if (!Number.isFinite(value)) continue;
    times.push(m[1] === '<' ? value / 2 : value);
  }
  return times;
}
