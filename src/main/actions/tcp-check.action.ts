import { connect } from 'node:net';
import type { ActionParams } from '../../shared/actions/catalog';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';
import { monotonicMs } from '../services/monotonic-clock';

/** net.tcp-check, the same on every OS: one TCP connection (node:net), timed, then closed. */
function tcpCheck(p: ActionParams<'net.tcp-check'>, ctx: ActionContext): Promise<ImplOutcome> {
  const started = monotonicMs();
  return new Promise((resolve) => {
    const socket = connect({ host: p.host, port: p.port, signal: ctx.signal });
    let lookupMs: number | null = null;
    socket.once('lookup', () => (lookupMs = ms(started)));
    socket.once('connect', () => {
      const connectMs = ms(started);
      const remote = socket.remoteAddress ?? null;
      socket.destroy();
      ctx.write(`Connected to ${p.host}:${p.port} (${remote ?? '?'}) in ${connectMs} ms\n`);
      resolve(done({ host: p.host, port: p.port, connected: true, address: remote, dnsMs: lookupMs, connectMs }));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      const code = error.code ?? 'failed';
      ctx.write(`Could not connect to ${p.host}:${p.port}: ${code}\n`);
      resolve(
        failed(code === 'ECONNREFUSED' ? 'refused' : 'connect-failed', `${p.host}:${p.port}: ${code}`, {
          host: p.host,
          port: p.port,
          connected: false,
          dnsMs: lookupMs,
          connectMs: null,
          errorCode: code,
        }),
      );
    });
  });
}

function ms(started: number): number {
  return Math.round((monotonicMs() - started) * 10) / 10;
}

/** net.tcp-check on each OS. */
export const tcpCheckAction: ActionImpls<'net.tcp-check'> = { linux: tcpCheck, darwin: tcpCheck, win32: tcpCheck };
