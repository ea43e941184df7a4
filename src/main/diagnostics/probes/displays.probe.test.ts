import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { displaysSection } from '../../../shared/snapshot/sections';
import { collectLive, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { displaysProbe, resolutionOf } from './displays.probe';

const controller = (
  p: Partial<Systeminformation.GraphicsControllerData>,
): Systeminformation.GraphicsControllerData => ({
  vendor: '',
  model: '',
  bus: '',
  vram: null,
  vramDynamic: false,
  ...p,
});
const display = (p: Partial<Systeminformation.GraphicsDisplayData>): Systeminformation.GraphicsDisplayData => ({
  vendor: '',
  vendorId: null,
  model: '',
  productionYear: null,
  serial: null,
  deviceName: null,
  displayId: null,
  main: false,
  builtin: false,
  connection: null,
  sizeX: null,
  sizeY: null,
  pixelDepth: null,
  resolutionX: null,
  resolutionY: null,
  currentResX: null,
  currentResY: null,
  positionX: 0,
  positionY: 0,
  currentRefreshRate: null,
  ...p,
});

describe('displaysProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(displaysProbe);
    expect(displaysSection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(displaysProbe.budgetMs);
  });

  it('lists adapters and displays with their current mode', async () => {
    const ctx = fakeProbeContext({
      si: {
        graphics: async () => ({
          controllers: [
            controller({
              vendor: 'Intel Corporation',
              model: 'Iris Xe Graphics',
              vram: 128,
              driverVersion: '31.0.101.4502',
            }),
            controller({ vendor: 'NVIDIA', model: '', name: 'NVIDIA GeForce RTX 3050 Laptop GPU', vram: 4096 }),
          ],
          displays: [
            display({
              model: 'Built-in Display',
              main: true,
              builtin: true,
              connection: 'Internal',
              currentResX: 1920,
              currentResY: 1200,
              currentRefreshRate: 60,
            }),
            display({
              model: 'DELL U2720Q',
              connection: 'DP',
              resolutionX: 3840,
              resolutionY: 2160,
              currentRefreshRate: 0,
            }),
          ],
        }),
      },
    });
    expect(await displaysProbe.collect(ctx)).toEqual({
      graphics: [
        { vendor: 'Intel Corporation', model: 'Iris Xe Graphics', vramMB: 128, driverVersion: '31.0.101.4502' },
        { vendor: 'NVIDIA', model: 'NVIDIA GeForce RTX 3050 Laptop GPU', vramMB: 4096, driverVersion: null },
      ],
      displays: [
        { model: 'Built-in Display', main: true, resolution: '1920x1200', refreshHz: 60, connection: 'Internal' },
        { model: 'DELL U2720Q', main: false, resolution: '3840x2160', refreshHz: null, connection: 'DP' },
      ],
    });
  });

  it('caps both lists at the schema bound and names nameless adapters', async () => {
    const ctx = fakeProbeContext({
      si: {
        graphics: async () => ({
          controllers: Array.from({ length: 20 }, () => controller({})),
          displays: Array.from({ length: 20 }, () => display({})),
        }),
      },
    });
    const section = await displaysProbe.collect(ctx);
    expect(section.graphics).toHaveLength(16);
    expect(section.displays).toHaveLength(16);
    expect(section.graphics[0]!.model).toBe('Unknown graphics');
    expect(section.displays[0]!.resolution).toBeNull();
    expect(displaysSection.safeParse(section).success).toBe(true);
  });

  it('formats a resolution only from two known sides', () => {
    expect(resolutionOf(2560, 1440)).toBe('2560x1440');
    expect(resolutionOf(0, 1440)).toBeNull();
    expect(resolutionOf(null, undefined)).toBeNull();
  });
});
