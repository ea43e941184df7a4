import { describe, expect, it, vi } from 'vitest';
import { snapshotSchema } from '../../shared/snapshot';
import { fakeProbeContext } from '../../../test/fakes/probe-context.fake';
import { createCollector, type CollectorDeps } from './collector';
import { defineProbe, UnsupportedError, type Probe } from './probe';

const memory = {
  totalBytes: 100,
  usedBytes: 50,
  availableBytes: 50,
  usedPercent: 50,
  swapTotalBytes: 0,
  swapUsedBytes: 0,
};
const usb = { devices: [{ name: 'Keyboard', vendor: null, type: null, id: null, serial: 'SER123' }] };

function collector(probes: Probe[], extra: Partial<CollectorDeps> = {}) {
  return createCollector({
    probes,
    platform: 'linux',
    agent: { name: 'test', version: '0.0.0' },
    privacy: { homeDirs: ['/home/alice'], userName: 'alice', salt: 'salt' },
    context: (signal, settings) => fakeProbeContext({ signal, settings }),
    now: () => new Date('2026-01-01T00:00:00.000Z'),
    ...extra,
  });
}

describe('collector', () => {
  it('runs every probe at the same time', async () => {
    // Each probe waits at a barrier until both have started: run one after the other, the first would
    // hang until its budget and peak would stay 1. The monotonic clock (process.hrtime) is faked so the measured
    // duration is exact (the budget timers stay real).
    vi.useFakeTimers({ toFake: ['hrtime'] });
    try {
      let running = 0;
      let peak = 0;
      let allStarted!: () => void;
      const barrier = new Promise<void>((resolve) => (allStarted = resolve));
      const slow = <K extends 'memory' | 'usb'>(section: K, value: unknown) =>
        defineProbe({
          section,
          budgetMs: 5000,
          async collect() {
            running += 1;
            peak = Math.max(peak, running);
            if (running === 2) {
              vi.advanceTimersByTime(30);
              allStarted();
            }
            await barrier;
            running -= 1;
            return value as never;
          },
        });
      const snapshot = await collector([slow('memory', memory), slow('usb', usb)]).collect({
        sections: ['memory', 'usb'],
      });
      expect(peak).toBe(2);
      expect(snapshot.sections.memory).toEqual(memory);
      expect(snapshot.probes.memory?.status).toBe('ok');
      expect(snapshot.probes.memory?.durationMs).toBe(30);
      expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('records a probe that overruns its budget as a timeout, aborts it and does not wait for it', async () => {
    let aborted = false;
    const hang = defineProbe({
      section: 'events',
      budgetMs: 40,
      collect: (ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
        }),
    });
    const fast = defineProbe({ section: 'memory', budgetMs: 1000, collect: async () => memory });
    const snapshot = await collector([hang, fast]).collect({ sections: ['events', 'memory'] });
    expect(snapshot.probes.events).toMatchObject({ status: 'timeout', error: { code: 'timeout' } });
    expect(snapshot.sections.events).toBeUndefined();
    expect(snapshot.sections.memory).toEqual(memory);
    expect(aborted).toBe(true);
  });

  it('turns failures, invalid output and unsupported areas into error entries, never a failed snapshot', async () => {
    const probes: Probe[] = [
      defineProbe({
        section: 'cpu',
        budgetMs: 1000,
        collect: async () => {
          throw new Error('cannot read /home/alice/.cache/x');
        },
      }),
      defineProbe({ section: 'memory', budgetMs: 1000, collect: async () => ({ ...memory, usedPercent: 170 }) }),
      defineProbe({
        section: 'battery',
        budgetMs: 1000,
        collect: async () => {
          throw new UnsupportedError('no battery API');
        },
      }),
      defineProbe({ section: 'usb', budgetMs: 1000, platforms: ['win32'], collect: async () => usb }),
    ] as Probe[];
    const snapshot = await collector(probes).collect({ sections: ['cpu', 'memory', 'battery', 'usb', 'printers'] });
    expect(snapshot.probes.cpu).toMatchObject({
      status: 'error',
      error: { code: 'probe_failed', message: 'cannot read ~/.cache/x' },
    });
    expect(snapshot.probes.memory).toMatchObject({ status: 'error', error: { code: 'invalid_output' } });
    expect(snapshot.probes.memory?.error?.message).toContain('usedPercent');
    expect(snapshot.probes.battery).toMatchObject({ status: 'unsupported' });
    expect(snapshot.probes.usb).toMatchObject({ status: 'unsupported', error: { message: 'Not available on linux' } });
    expect(snapshot.probes.printers).toMatchObject({ status: 'unsupported', error: { code: 'no_probe' } });
    expect(Object.keys(snapshot.sections)).toEqual([]);
    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
  });

  it('keeps a canonical section as the probe gave it and has zod normalize any other', async () => {
    // Keys out of the schema's order and one the schema does not know: zod's output, in schema order.
    const scrambled = { ...Object.fromEntries(Object.entries(memory).reverse()), extra: 'dropped' };
    const probes = [
      defineProbe({ section: 'memory', budgetMs: 1000, collect: async () => scrambled as never }),
      defineProbe({ section: 'usb', budgetMs: 1000, collect: async () => usb }),
    ] as Probe[];
    const snapshot = await collector(probes).collect({ sections: ['memory', 'usb'] });
    expect(snapshot.probes.memory?.status).toBe('ok');
    expect(JSON.stringify(snapshot.sections.memory)).toBe(JSON.stringify(memory));
    expect(snapshot.sections.usb).toEqual(usb);
  });

  it('does not run sections the employee left out, and collects only the sections asked for', async () => {
    const calls: string[] = [];
    const probe = (section: 'memory' | 'usb', value: unknown) =>
      defineProbe({ section, budgetMs: 1000, collect: async () => (calls.push(section), value as never) });
    const c = collector([probe('memory', memory), probe('usb', usb)]);
    const omitted = await c.collect({ omit: ['usb'] });
    expect(calls).toEqual(['memory']);
    expect(omitted.probes.usb?.status).toBe('omitted');
    expect(omitted.sections.usb).toBeUndefined();
    const only = await c.collect({ sections: ['usb'] });
    expect(Object.keys(only.probes)).toEqual(['usb']);
  });

  it('redacts serials and user names only when asked', async () => {
    const c = collector([defineProbe({ section: 'usb', budgetMs: 1000, collect: async () => usb })]);
    const plain = await c.collect({ sections: ['usb'] });
    const redacted = await c.collect({ sections: ['usb'], redact: true });
    expect(plain.redacted).toBe(false);
    expect(plain.sections.usb?.devices[0]?.serial).toBe('SER123');
    expect(redacted.redacted).toBe(true);
    expect(redacted.sections.usb?.devices[0]?.serial).toMatch(/^hash:[0-9a-f]{16}$/);
  });
});
