import { describe, expect, it } from 'vitest';
import { CHANNEL_PATH, CLOSE } from '../../shared/channel/channel-limits';
import { afterClose, channelUrl, DEFAULT_CHANNEL_TIMING, type Outcome, type RetryState } from './channel-policy';

const fresh: RetryState = { mode: 'connecting', failures: 0, diedBeforeWelcome: 0, fallbackAttempts: 0 };
const timing = { ...DEFAULT_CHANNEL_TIMING, reconnect: { baseMs: 1000, maxMs: 60_000, jitter: 0 } };
const closed = (code: number, reason = ''): Outcome => ({ kind: 'closed', code, reason });
const error = (code: string): Outcome => ({ kind: 'error', error: Object.assign(new Error(code), { code }) });

/** Runs outcomes one after the other from `start`, as a client would. */
function run(outcomes: Outcome[], start: RetryState = fresh, random = () => 0) {
  let state = start;
  return outcomes.map((outcome) => {
    const decided = afterClose(state, outcome, false, timing, random);
    state = decided.state;
    return decided.next;
  });
}

describe('channel policy', () => {
  it('puts the channel under the server URL, keeping a path prefix', () => {
    expect(channelUrl('http://127.0.0.1:8080')).toBe(`ws://127.0.0.1:8080${CHANNEL_PATH}`);
    expect(channelUrl('https://help.example.com/desk/')).toBe(`wss://help.example.com/desk${CHANNEL_PATH}`);
    expect(channelUrl('ftp://help.example.com')).toBeNull();
    expect(channelUrl('not a url')).toBeNull();
  });

  it('stops on a refused token, by close code or by HTTP answer', () => {
    expect(run([closed(CLOSE.unauthorized)])).toEqual([{ action: 'unauthorized' }]);
    expect(run([{ kind: 'refused', status: 401, retryAfterMs: null }])).toEqual([{ action: 'unauthorized' }]);
  });

  it('keeps retrying an unreachable server without falling back (the long poll would fail as well)', () => {
    const next = run([error('ECONNREFUSED'), error('ENOTFOUND'), error('ECONNREFUSED'), error('EHOSTUNREACH')]);
    expect(next.map((n) => n.action)).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect(next.map((n) => (n.action === 'retry' ? n.delayMs : 0))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('falls back after three deaths before welcome, and at once on an HTTP answer that is not "busy"', () => {
    expect(run([error('ECONNRESET'), { kind: 'silent' }, closed(1006)]).map((n) => n.action)).toEqual([
      'retry',
      'retry',
      'fallback',
    ]);
    expect(run([{ kind: 'refused', status: 502, retryAfterMs: null }])).toEqual([
      { action: 'fallback', delayMs: 15_000 },
    ]);
    // Busy: the delay the server asked for, plus up to half again; no fallback however often.
    const busy: Outcome = { kind: 'refused', status: 503, retryAfterMs: 20_000 };
    expect(run([busy, busy, busy, busy], fresh, () => 0.5)).toEqual(
      Array.from({ length: 4 }, () => ({ action: 'retry', delayMs: 25_000 })),
    );
  });

  it('in long-poll mode retries the channel on its own growing backoff, capped at 5 minutes', () => {
    const refused: Outcome = { kind: 'refused', status: 426, retryAfterMs: null };
    const delays = run(
      Array.from({ length: 7 }, () => refused),
      fresh,
      () => 1,
    ).map((n) => (n.action === 'fallback' ? n.delayMs : -1));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  });

  it("believes 1013's delay up to a limit, spreads 1001 over a window, and backs off on 4004", () => {
    expect(run([closed(CLOSE.tryAgainLater, '4000')], fresh, () => 1)).toEqual([{ action: 'retry', delayMs: 6000 }]);
    expect(run([closed(CLOSE.tryAgainLater, '99999999')])).toEqual([
      { action: 'retry', delayMs: DEFAULT_CHANNEL_TIMING.maxServerDelayMs },
    ]);
    expect(run([closed(CLOSE.tryAgainLater, 'soon')])).toEqual([{ action: 'retry', delayMs: 1000 }]);
    const spread = [0, 0.5, 0.999].map((r) => run([closed(CLOSE.goingAway)], fresh, () => r)[0]);
    expect(spread).toEqual([
      { action: 'retry', delayMs: 500 },
      { action: 'retry', delayMs: 8000 },
      { action: 'retry', delayMs: 15_485 },
    ]);
    // The server's "wait" does not count toward the fallback; 4004 (replaced) is an ordinary reconnect.
    const waits = run([closed(CLOSE.tryAgainLater, '10'), closed(CLOSE.goingAway), closed(CLOSE.tryAgainLater, '10')]);
    expect(waits.map((n) => n.action)).toEqual(['retry', 'retry', 'retry']);
    expect(run([closed(CLOSE.replaced), closed(CLOSE.replaced)]).map((n) => n.action)).toEqual(['retry', 'retry']);
  });

  it('starts the backoff over after a connection that had been live', () => {
    const after = afterClose({ ...fresh, failures: 6, mode: 'live' }, closed(1006), true, timing, () => 0);
    expect(after).toEqual({
      next: { action: 'retry', delayMs: 1000 },
      state: { mode: 'connecting', failures: 1, diedBeforeWelcome: 0, fallbackAttempts: 0 },
    });
  });
});
