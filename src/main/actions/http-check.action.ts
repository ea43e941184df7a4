import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ActionParams } from '../../shared/actions/catalog';
import { isIpv6 } from '../../shared/actions/params';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';
import { monotonicMs } from '../services/monotonic-clock';

type HttpParams = ActionParams<'net.http-check'>;
/** The body is read (so "total" includes it) but only this much is counted on. */
const BODY_READ_MAX = 4 * 1024 * 1024;

/** Milliseconds from the start of the request to each phase; a phase that did not happen is null. */
export interface HttpTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  totalMs: number;
}

/** What one timed GET answers: the response's status and timings, or the error code when none came. */
export type TimedGet =
  | { ok: true; url: string; status: number | null; bytes: number; tlsProtocol: string | null; timings: HttpTimings }
  | { ok: false; url: string; errorCode: string; timings: HttpTimings };

/**
 * One GET on a fresh connection (no keep-alive, no redirect followed), timed at DNS, TCP connect, TLS
 * handshake, first byte and end of body; ended by `signal`. Any HTTP status is an answer. net.http-check
 * and network monitoring's HTTP probes (src/main/netmon) both use it.
 */
export function timedGet(
  p: HttpParams,
  signal: AbortSignal,
  userAgent = 'Deskside-agent http-check',
): Promise<TimedGet> {
  const started = monotonicMs();
  const at = () => Math.round((monotonicMs() - started) * 10) / 10;
  const t: Omit<HttpTimings, 'totalMs'> = { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null };
  const port = p.port ?? (p.scheme === 'https' ? 443 : 80);
  const url = `${p.scheme}://${isIpv6(p.host) ? `[${p.host}]` : p.host}:${port}${p.path}`;
  const request = p.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request({
      host: p.host,
      port,
      path: p.path,
      method: 'GET',
      agent: false,
      signal,
      headers: { 'user-agent': userAgent, connection: 'close' },
    });
    req.once('socket', (socket: Socket) => {
      socket.once('lookup', () => (t.dnsMs = at()));
      socket.once('connect', () => (t.connectMs = at()));
      socket.once('secureConnect', () => (t.tlsMs = at()));
    });
    req.once('response', (res: IncomingMessage) => {
      t.firstByteMs = at();
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > BODY_READ_MAX) res.destroy();
      });
      const finish = () => {
        const tls = res.socket && 'getProtocol' in res.socket ? (res.socket as TLSSocket).getProtocol() : null;
        resolve({
          ok: true,
          url,
          status: res.statusCode ?? null,
          bytes,
          tlsProtocol: tls,
          timings: { ...t, totalMs: at() },
        });
      };
      res.once('end', finish);
      res.once('close', () => (res.complete ? undefined : finish()));
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, url, errorCode: error.code ?? error.name, timings: { ...t, totalMs: at() } });
    });
    req.end();
  });
}

/** net.http-check, the same on every OS: one timedGet; `ok` is false only when no response came. */
async function httpCheck(p: HttpParams, ctx: ActionContext): Promise<ImplOutcome> {
  const r = await timedGet(p, ctx.signal);
  if (!r.ok) {
    ctx.write(`GET ${r.url} failed: ${r.errorCode}\n`);
    return failed('request-failed', `${r.url}: ${r.errorCode}`, { url: r.url, status: null, timings: r.timings });
  }
  ctx.write(`GET ${r.url} -> ${r.status} (${r.timings.totalMs} ms)\n`);
  const { ok: _ok, ...fields } = r;
  return done(fields);
}

/** net.http-check on each OS. */
export const httpCheckAction: ActionImpls<'net.http-check'> = { linux: httpCheck, darwin: httpCheck, win32: httpCheck };
