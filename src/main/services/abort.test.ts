import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { abortAfter } from './abort';

describe('abortAfter', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('aborts with a TimeoutError once the time is up, not before', () => {
    const { signal } = abortAfter(new AbortController().signal, 500);
    vi.advanceTimersByTime(499);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it("follows the parent's abort and its reason, at once or already aborted", () => {
    const parent = new AbortController();
    const { signal } = abortAfter(parent.signal, 500);
    parent.abort(new Error('stopped'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('stopped');
    expect(abortAfter(parent.signal, 500).signal.reason).toBe(parent.signal.reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clear() stops the timer and no longer follows the parent', () => {
    const parent = new AbortController();
    const { signal, clear } = abortAfter(parent.signal, 500);
    clear();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    parent.abort();
    expect(signal.aborted).toBe(false);
  });
});
