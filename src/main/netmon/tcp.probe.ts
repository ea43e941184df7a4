import { connect } from 'node:net';
import { summarize, since, type Measured } from './netmon-stats';
import { monotonicMs } from '../services/monotonic-clock';

/** One TCP connect's outcome: its time, or the error code (`refused`, `timeout`, `unreachable`, …). */
export type ConnectOutcome = { ok: true; ms: number } | { ok: false; error: string; ms: number };

/** Maps a socket error to a sample's error code. */
export function socketErrorCode(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
    case 'ABORT_ERR':
    case 'timeout':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'nxdomain';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'connect-failed';
  }
}

/** One TCP connection (node:net), timed to the handshake, then closed at once. */
export function connectOnce(
  host: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ConnectOutcome> {
  const started = monotonicMs();
  return new Promise((resolve) => {
    const socket = connect({ host, port, signal });
    const timer = setTimeout(() => end({ ok: false, error: 'timeout', ms: since(started) }), timeoutMs);
    function end(outcome: ConnectOutcome): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    }
    socket.once('connect', () => end({ ok: true, ms: since(started) }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      end({ ok: false, error: socketErrorCode(error.code ?? error.name), ms: since(started) }),
    );
  });
}

/**
 * `count` connects one after the other, each bounded by `timeoutMs`. A refused connect is an answer from the
 * host (its RST comes back in one round trip), so where only the host's reachability matters (the gateway,
 * whose port may well be closed) `refusedAnswers` counts its time; for a service it is a failure.
 */
export async function tcpProbe(
  host: string,
  port: number,
  count: number,
  timeoutMs: number,
  signal: AbortSignal,
  options: { refusedAnswers?: boolean } = {},
): Promise<Measured & { error?: string }> {
  const rtts: (number | null)[] = [];
  let lastError: string | undefined;
  for (let i = 0; i < count && !signal.aborted; i++) {
    const outcome = await connectOnce(host, port, timeoutMs, signal);
    if (outcome.ok || (options.refusedAnswers && outcome.error === 'refused')) rtts.push(outcome.ms);
    else {
      rtts.push(null);
      lastError = outcome.error;
    }
  }
  const measured = summarize(count, rtts);
  return measured.received === 0
    ? { ...measured, error: signal.aborted ? 'timeout' : (lastError ?? 'timeout') }
    : measured;
}
