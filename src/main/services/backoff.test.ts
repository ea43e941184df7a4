import { describe, expect, it } from 'vitest';
import { backoffDelay, OUTBOX_BACKOFF } from './backoff';

describe('backoff', () => {
  it('doubles from 1 s and is capped at 5 minutes', () => {
    const low = (n: number) => backoffDelay(n, OUTBOX_BACKOFF, () => 0);
    const high = (n: number) => backoffDelay(n, OUTBOX_BACKOFF, () => 0.999999);
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map(high)).toEqual([1000, 2000, 4000, 8000]);
    expect(high(9)).toBe(256_000);
    expect(high(10)).toBe(300_000);
    expect(high(1000)).toBe(300_000);
    expect(low(1000)).toBe(150_000);
  });

  it('is jittered: delays for one attempt spread over the random half', () => {
    const delays = new Set(Array.from({ length: 200 }, () => backoffDelay(5, OUTBOX_BACKOFF)));
    expect(delays.size).toBeGreaterThan(50);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(16_000);
    }
  });
});
