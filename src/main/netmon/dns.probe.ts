import { Resolver } from 'node:dns/promises';
import { summarize, since, type Measured } from './netmon-stats';
import { monotonicMs } from '../services/monotonic-clock';

/** One lookup's outcome: answered (records or NXDOMAIN, both in one round trip) or not. */
type LookupOutcome = { answered: true; ms: number; nxdomain: boolean } | { answered: false; error: string };

/** Maps c-ares error codes (node:dns) to a sample's error code. */
function dnsErrorCode(code: string | undefined): string {
  switch (code) {
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return 'timeout';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ESERVFAIL':
      return 'servfail';
    case 'EREFUSED':
      return 'dns-refused';
    default:
      return 'dns-error';
  }
}

/**
 * One A lookup of `name` through one server only (`1.2.3.4`, `1.2.3.4:5353`, `[::1]:53`), one try. A fresh
 * Resolver each time: c-ares may cache answers per channel, and a cached answer would time nothing.
 */
async function lookupOnce(
  server: string,
  name: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<LookupOutcome> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([server]);
  const cancel = () => resolver.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  const started = monotonicMs();
  try {
    await resolver.resolve4(name);
    return { answered: true, ms: since(started), nxdomain: false };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // NXDOMAIN and NODATA are answers: the resolver works, the name does not resolve.
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { answered: true, ms: since(started), nxdomain: true };
    return { answered: false, error: dnsErrorCode(code) };
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/**
 * `count` lookups of `name` through one resolver, one after the other: resolution time, loss (unanswered
 * queries) and jitter. A name that does not resolve keeps its times and says `nxdomain`.
 */
export async function dnsProbe(
  server: string,
  name: string,
  count: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Measured & { error?: string }> {
  const rtts: (number | null)[] = [];
  let error: string | undefined;
  let nxdomain = false;
  for (let i = 0; i < count && !signal.aborted; i++) {
    const outcome = await lookupOnce(server, name, timeoutMs, signal);
    if (outcome.answered) {
      rtts.push(outcome.ms);
      nxdomain ||= outcome.nxdomain;
    } else {
      rtts.push(null);
      error = outcome.error;
    }
  }
  const measured = summarize(count, rtts);
  if (measured.received === 0) return { ...measured, error: error ?? 'timeout' };
  return nxdomain ? { ...measured, error: 'nxdomain' } : measured;
}
