import { splitLines } from '../../diagnostics/parsers/parse-utils';

/** One hop of a route: its number, the address that answered (null: none did) and each probe's time. */
export interface Hop {
  hop: number;
  address: string | null;
  rttMs: number[];
}

/**
 * Reads `traceroute -n` (Linux and macOS): ` 3  10.0.0.1  5.432 ms  5.500 ms  5.600 ms`, `*` for a probe
 * without an answer; when probes of one hop are answered by different routers the first address is kept.
 * Annotations such as `!H` after a time are ignored.
 */
export function parseTraceroute(text: string): Hop[] {
  const hops: Hop[] = [];
  for (const line of splitLines(text)) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const tokens = match[2]!.trim().split(/\s+/);
    let address: string | null = null;
    const rttMs: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token === '*' || token.startsWith('!')) continue;
      if (tokens[i + 1] === 'ms' && /^[\d.]+$/.test(token)) {
        rttMs.push(Number(token));
        i++;
      } else if (address === null && /^[0-9A-Fa-f:.]+$/.test(token)) address = token;
    }
    hops.push({ hop: Number(match[1]), address, rttMs });
  }
  return hops;
}

/**
 * The address traceroute resolved the target to, from its header `traceroute to example.com (93.184.216.34), …`
 * (Linux prints it on stdout, macOS on stderr); null without a header.
 */
export function tracerouteTarget(text: string): string | null {
  return /^traceroute to \S+ \(([0-9A-Fa-f:.]+)\)/m.exec(text)?.[1] ?? null;
}

/**
 * Reads `tracepath -n` (iputils): ` 1:  192.168.1.1   1.123ms`, ` 2:  no reply`, `reached` on the last hop;
 * the `1?: [LOCALHOST]` line and repeated lines of one hop fold into that hop.
 */
export function parseTracepath(text: string): { hops: Hop[]; reached: boolean } {
  const byHop = new Map<number, Hop>();
  let reached = false;
  for (const line of splitLines(text)) {
    const match = /^\s*(\d+)\??:\s+(\S+)(?:\s+([\d.]+)ms)?(.*)$/.exec(line);
    if (!match || match[2] === '[LOCALHOST]') continue;
    const hop = Number(match[1]);
    const entry = byHop.get(hop) ?? { hop, address: null, rttMs: [] };
    if (match[2] !== 'no' && entry.address === null) entry.address = match[2]!;
    if (match[3]) entry.rttMs.push(Number(match[3]));
    if (/\breached\b/.test(match[4] ?? '')) reached = true;
    byHop.set(hop, entry);
  }
  return { hops: [...byHop.values()].sort((a, b) => a.hop - b.hop), reached };
}

/**
 * Reads Windows `tracert -d`: `  2     9 ms     8 ms     9 ms  10.0.0.1`, `<1 ms` counted as 0.5,
 * `*` for a lost probe and `Request timed out.` for a hop where all were lost.
 */
export function parseTracert(text: string): Hop[] {
  const hops: Hop[] = [];
  for (const line of splitLines(text)) {
    const match = /^\s*(\d+)\s+((?:(?:<?\d+ ms|\*)\s+){3})(.*)$/.exec(line);
    if (!match) continue;
    const rttMs = [...match[2]!.matchAll(/(<)?(\d+) ms/g)].map((m) => (m[1] ? 0.5 : Number(m[2])));
    const tail = match[3]!.trim();
    hops.push({ hop: Number(match[1]), address: /^[0-9A-Fa-f:.]+$/.test(tail) ? tail : null, rttMs });
  }
  return hops;
}
