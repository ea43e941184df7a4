import type { NetSample } from '../../shared/netmon/netmon';
import { monotonicMs } from '../services/monotonic-clock';

/** The measured part of a sample: what a probe method answers before it is stamped and labelled. */
export type Measured = Pick<NetSample, 'sent' | 'received' | 'rttMs' | 'minMs' | 'maxMs' | 'jitterMs'>;

/** Milliseconds rounded to 0.01 (sub-millisecond loopback times stay visible). */
export function roundMs(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Loss, min/avg/max and jitter from the round trips of `sent` attempts (null for one that got no answer):
 * jitter is the mean absolute difference of consecutive answered round trips (RFC 3550's inter-arrival
 * jitter without its smoothing), null with fewer than two answers.
 */
export function summarize(sent: number, rtts: readonly (number | null)[]): Measured {
  const answered = rtts.filter((r): r is number => r !== null && Number.isFinite(r) && r >= 0);
  const received = Math.min(sent, answered.length);
  if (answered.length === 0) return { sent, received: 0, rttMs: null, minMs: null, maxMs: null, jitterMs: null };
  let diff = 0;
  for (let i = 1; i < answered.length; i++) diff += Math.abs(answered[i]! - answered[i - 1]!);
  return {
    sent,
    received,
    rttMs: roundMs(answered.reduce((a, b) => a + b, 0) / answered.length),
    minMs: roundMs(Math.min(...answered)),
    maxMs: roundMs(Math.max(...answered)),
    jitterMs: answered.length > 1 ? roundMs(diff / (answered.length - 1)) : null,
  };
}

/** Elapsed ms since a monotonicMs() reading. */
export function since(started: number): number {
  return monotonicMs() - started;
}
