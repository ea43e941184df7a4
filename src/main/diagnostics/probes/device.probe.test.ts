import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { deviceSection } from '../../../shared/snapshot/sections';
import { collectLive, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { deviceProbe, deviceTypeOf } from './device.probe';

const system = (p: Partial<Systeminformation.SystemData>): Systeminformation.SystemData => ({
  manufacturer: '',
  model: '',
  version: '',
  serial: '',
  uuid: '',
  sku: '',
  virtual: false,
  ...p,
});
const bios = (p: Partial<Systeminformation.BiosData>): Systeminformation.BiosData => ({
  vendor: '',
  version: '',
  releaseDate: '',
  revision: '',
  ...p,
});
const chassis = (p: Partial<Systeminformation.ChassisData>): Systeminformation.ChassisData => ({
  manufacturer: '',
  model: '',
  type: '',
  version: '',
  serial: '',
  assetTag: '',
  sku: '',
  ...p,
});

describe('deviceProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(deviceProbe);
    expect(deviceSection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(deviceProbe.budgetMs);
  });

  it('describes a laptop', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: {
        system: async () => system({ manufacturer: 'LENOVO', model: '20XW0026GE', serial: 'PF2ABCDE' }),
        bios: async () => bios({ vendor: 'LENOVO', version: 'N32ET75W (1.51 )', releaseDate: '2022-01-10' }),
        chassis: async () => chassis({ manufacturer: 'LENOVO', type: 'Notebook', serial: 'PF2ABCDE' }),
      },
    });
    expect(await deviceProbe.collect(ctx)).toEqual({
      vendor: 'LENOVO',
      model: '20XW0026GE',
      serial: 'PF2ABCDE',
      type: 'laptop',
      virtual: false,
      bios: { vendor: 'LENOVO', version: 'N32ET75W (1.51 )', releaseDate: '2022-01-10' },
    });
  });

  it('turns OEM placeholders into null', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: {
        system: async () =>
          system({ manufacturer: 'To Be Filled By O.E.M.', model: 'Default string', serial: 'System Serial Number' }),
        bios: async () => bios({ vendor: 'American Megatrends Inc.', version: 'P2.30', releaseDate: '0' }),
        chassis: async () => chassis({ manufacturer: 'Default string', type: 'Desktop', serial: '0' }),
      },
    });
    const section = await deviceProbe.collect(ctx);
    expect(section).toMatchObject({ vendor: null, model: null, serial: null, type: 'desktop' });
    expect(section.bios).toEqual({ vendor: 'American Megatrends Inc.', version: 'P2.30', releaseDate: null });
  });

  it('calls a virtual machine a virtual machine whatever its chassis says', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: {
        system: async () => system({ manufacturer: 'QEMU', model: 'Standard PC (Q35 + ICH9, 2009)', virtual: true }),
        bios: async () => bios({}),
        chassis: async () => chassis({ type: 'Other' }),
      },
    });
    const section = await deviceProbe.collect(ctx);
    expect(section).toMatchObject({ type: 'virtual-machine', virtual: true, bios: null });
    expect(deviceSection.safeParse(section).success).toBe(true);
  });

  it('keeps the system record when BIOS and chassis lookups fail', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32', // systeminformation's path; Linux reads sysfs (see the Linux tests)
      si: { system: async () => system({ manufacturer: 'Dell Inc.', model: 'OptiPlex 7090' }) },
    });
    expect(await deviceProbe.collect(ctx)).toMatchObject({ vendor: 'Dell Inc.', type: 'unknown', bios: null });
  });

  it('fails when the system record cannot be read', async () => {
    await expect(deviceProbe.collect(fakeProbeContext({ platform: 'win32' }))).rejects.toThrow(/not faked/);
  });

  it('maps SMBIOS chassis types', () => {
    expect(deviceTypeOf('Laptop', false)).toBe('laptop');
    expect(deviceTypeOf('Portable', false)).toBe('laptop');
    expect(deviceTypeOf('Convertible', false)).toBe('laptop');
    expect(deviceTypeOf('Mini Tower', false)).toBe('desktop');
    expect(deviceTypeOf('Mini PC', false)).toBe('desktop');
    expect(deviceTypeOf('Rack Mount Chassis', false)).toBe('server');
    expect(deviceTypeOf('Blade', false)).toBe('server');
    expect(deviceTypeOf('Docking Station', false)).toBe('other');
    expect(deviceTypeOf('', false)).toBe('unknown');
    expect(deviceTypeOf(undefined, false)).toBe('unknown');
    expect(deviceTypeOf('Notebook', true)).toBe('virtual-machine');
  });
});
