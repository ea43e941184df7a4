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
      platform: 'win32',
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
      platform: 'darwin',
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

  it('on Linux reads PCI display adapters and connected DRM connectors from sysfs (no systeminformation)', async () => {
    const gpu = '/sys/bus/pci/devices/0000:00:02.0';
    const drm = '/sys/class/drm';
    const ctx = fakeProbeContext({
      files: {
        [`${gpu}/class`]: '0x030000\n',
        [`${gpu}/vendor`]: '0x8086\n',
        [`${gpu}/device`]: '0x3ea0\n',
        [`${gpu}/uevent`]: 'DRIVER=i915\nPCI_CLASS=30000\n',
        // BAR 0: 16 MiB non-prefetchable; BAR 2: 256 MiB prefetchable.
        [`${gpu}/resource`]:
          '0x00000000a0000000 0x00000000a0ffffff 0x0000000000140204\n0x0000000000000000 0x0000000000000000 0x0000000000000000\n0x0000000090000000 0x000000009fffffff 0x000000000014220c\n',
        '/sys/bus/pci/devices/0000:00:1f.3/class': '0x040380\n',
        '/usr/share/misc/pci.ids':
          '8086  Intel Corporation\n\t3e92  UHD Graphics 630\n\t3ea0  UHD Graphics 620 (Whiskey Lake)\n10de  NVIDIA Corporation\n',
        [`${drm}/card0`]: '',
        [`${drm}/card0-eDP-1/status`]: 'connected\n',
        [`${drm}/card0-eDP-1/modes`]: '1920x1080\n1680x1050\n',
        [`${drm}/card0-HDMI-A-1/status`]: 'disconnected\n',
        [`${drm}/card0-DP-1/status`]: 'connected\n',
        [`${drm}/card0-DP-1/modes`]: '3840x2160\n2560x1440\n',
        [`${drm}/card0-DP-1/edid`]: edid('DEL', 'DELL U2720Q', {
          clock: 53325,
          w: 3840,
          hBlank: 160,
          h: 2160,
          vBlank: 62,
        }),
      },
    });
    expect(await displaysProbe.collect(ctx)).toEqual({
      graphics: [
        { vendor: 'Intel Corporation', model: 'UHD Graphics 620 (Whiskey Lake)', vramMB: 256, driverVersion: null },
      ],
      displays: [
        { model: 'eDP-1', main: true, resolution: '1920x1080', refreshHz: null, connection: 'eDP-1' },
        { model: 'DELL U2720Q', main: false, resolution: '3840x2160', refreshHz: 60, connection: 'DP-1' },
      ],
    });
  });

  it('formats a resolution only from two known sides', () => {
    expect(resolutionOf(2560, 1440)).toBe('2560x1440');
    expect(resolutionOf(0, 1440)).toBeNull();
    expect(resolutionOf(null, undefined)).toBeNull();
  });
});

/** An EDID 1.4 base block (as a latin1 string) with a manufacturer, a monitor name and one detailed timing. */
function edid(maker: string, name: string, t: { clock: number; w: number; hBlank: number; h: number; vBlank: number }) {
  const b = new Uint8Array(128);
  b.set([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
  const code = [...maker].reduce((n, c) => (n << 5) | (c.charCodeAt(0) - 64), 0);
  b.set([code >> 8, code & 0xff], 8);
  b.set([t.clock & 0xff, t.clock >> 8, t.w & 0xff, t.hBlank & 0xff, ((t.w >> 4) & 0xf0) | (t.hBlank >> 8)], 54);
  b.set([t.h & 0xff, t.vBlank & 0xff, ((t.h >> 4) & 0xf0) | (t.vBlank >> 8)], 59);
  b.set([0, 0, 0, 0xfc, 0, ...[...`${name}\n`.padEnd(13, ' ')].map((c) => c.charCodeAt(0))], 72);
  return Buffer.from(b).toString('latin1');
}
