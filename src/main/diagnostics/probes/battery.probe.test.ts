import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { batterySection } from '../../../shared/snapshot/sections';
import { collectLive, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { batteryHealthPercent, batteryProbe } from './battery.probe';

const battery = (p: Partial<Systeminformation.BatteryData>): Systeminformation.BatteryData => ({
  hasBattery: true,
  cycleCount: 0,
  isCharging: false,
  voltage: 0,
  designedCapacity: 0,
  maxCapacity: 0,
  currentCapacity: 0,
  capacityUnit: 'mWh',
  percent: 0,
  timeRemaining: 0,
  acConnected: false,
  type: '',
  model: '',
  manufacturer: '',
  serial: '',
  ...p,
});

describe('batteryProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(batteryProbe);
    expect(batterySection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(batteryProbe.budgetMs);
  });

  it('reports a worn laptop battery', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: {
        battery: async () =>
          battery({
            percent: 87,
            isCharging: true,
            acConnected: true,
            cycleCount: 412,
            designedCapacity: 57000,
            maxCapacity: 41230,
            model: '5B10W13930',
            serial: 'SMP 1234',
          }),
      },
    });
    expect(await batteryProbe.collect(ctx)).toEqual({
      present: true,
      percent: 87,
      charging: true,
      acConnected: true,
      cycleCount: 412,
      healthPercent: 72.3,
      model: '5B10W13930',
      serial: 'SMP 1234',
    });
  });

  it('leaves everything null when there is no battery', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: { battery: async () => battery({ hasBattery: false, acConnected: true, percent: 0 }) },
    });
    expect(await batteryProbe.collect(ctx)).toEqual({
      present: false,
      percent: null,
      charging: null,
      acConnected: null,
      cycleCount: null,
      healthPercent: null,
      model: null,
      serial: null,
    });
  });

  it('computes health only from two positive capacities', () => {
    expect(batteryHealthPercent(41230, 57000)).toBe(72.3);
    expect(batteryHealthPercent(5000, 0)).toBeNull();
    expect(batteryHealthPercent(0, 5000)).toBeNull();
    expect(batteryHealthPercent(Number.NaN, 5000)).toBeNull();
    // A broken fuel gauge must not push the section outside its schema.
    expect(batteryHealthPercent(90000, 10000)).toBe(200);
  });

  it('keeps odd firmware values inside the schema', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: { battery: async () => battery({ percent: 104, cycleCount: -1, model: 'Not Specified', serial: '0' }) },
    });
    const section = await batteryProbe.collect(ctx);
    expect(section).toMatchObject({ percent: 100, cycleCount: null, model: null, serial: null, healthPercent: null });
    expect(batterySection.safeParse(section).success).toBe(true);
  });
});
