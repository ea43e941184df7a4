import type { HttpTimings as SampleTimings } from '../../shared/netmon/netmon';
import { abortAfter } from '../services/abort';
import { timedGet } from '../actions/http-check.action';
import { roundMs, type Measured } from './netmon-stats';
import { socketErrorCode } from './tcp.probe';

/** Where an HTTP(S) probe goes. */
export interface HttpTarget {
  scheme: 'http' | 'https';
  host: string;
  port?: number;
  path: string;
}

/**
 * One GET (net.http-check's timedGet: fresh connection, no redirect) bounded by `timeoutMs`. Any status is an
 * answer (received 1, round trip = time to first byte); a status of 400 and above is also named in `error`
 * (`http-503`) so availability can count it as down. Timings are ms from the request's start (as net.http-check).
 */
export async function httpProbe(
  target: HttpTarget,
  timeoutMs: number,
  signal: AbortSignal,
  userAgent?: string,
): Promise<Measured & { http: SampleTimings; error?: string }> {
  const bounded = abortAfter(signal, timeoutMs);
  const r = await timedGet(target, bounded.signal, userAgent).finally(bounded.clear);
  const t = r.timings;
  const status = r.ok && r.status !== null && r.status >= 100 && r.status <= 599 ? r.status : null;
  const http: SampleTimings = {
    dnsMs: t.dnsMs,
    connectMs: t.connectMs,
    tlsMs: t.tlsMs,
    firstByteMs: t.firstByteMs,
    status,
  };
  if (!r.ok || t.firstByteMs === null) {
    const error = r.ok ? 'no-response' : r.errorCode === 'AbortError' ? 'timeout' : socketErrorCode(r.errorCode);
    return { sent: 1, received: 0, rttMs: null, minMs: null, maxMs: null, jitterMs: null, http, error };
  }
  const rtt = roundMs(t.firstByteMs);
  return {
    sent: 1,
    received: 1,
    rttMs: rtt,
    minMs: rtt,
    maxMs: rtt,
    jitterMs: null,
    http,
    ...(status !== null && status >= 400 ? { error: `http-${status}` } : {}),
  };
}
