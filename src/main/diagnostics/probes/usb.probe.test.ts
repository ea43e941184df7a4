import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { usbSection } from '../../../shared/snapshot/sections';
import { collectLive, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { isRootHub, usbProbe } from './usb.probe';

const usb = (p: Partial<Systeminformation.UsbData>): Systeminformation.UsbData => ({
  id: '',
  bus: 1,
  deviceId: 1,
  name: '',
  type: '',
  removable: false,
  vendor: '',
  manufacturer: '',
  maxPower: '',
  serialNumber: '',
  ...p,
});

describe('usbProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(usbProbe);
    expect(usbSection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(usbProbe.budgetMs);
  });

  it('lists plugged-in devices without root hubs, keeping serials', async () => {
    const ctx = fakeProbeContext({
      platform: 'darwin', // systeminformation's path; Linux reads sysfs (see linux-sysfs.probe.test.ts)
      si: {
        usb: async () => [
          usb({
            id: '1d6b:0002',
            name: '2.0 root hub',
            type: 'Hub',
            vendor: 'Linux Foundation',
            manufacturer: 'Linux 6.8.0 xhci-hcd',
          }),
          usb({ id: '1d6b:0003', name: '3.0 root hub', type: 'Hub', vendor: 'Linux Foundation' }),
          usb({ id: 'USB\\ROOT_HUB30\\4&1A2B3C', name: 'USB Root Hub (USB 3.0)', type: 'Hub' }),
          usb({
            id: '046d:c52b',
            name: 'Unifying Receiver',
            type: 'Mouse',
            vendor: 'Logitech, Inc.',
            manufacturer: 'Logitech',
          }),
          usb({
            id: '0781:5581',
            name: 'Ultra',
            type: 'Storage',
            vendor: 'SanDisk Corp.',
            manufacturer: ' SanDisk ',
            serialNumber: '4C530001230528112345',
          }),
          usb({ id: '05e3:0610', name: 'Hub', type: 'Hub', vendor: 'Genesys Logic, Inc.' }),
        ],
      },
    });
    expect(await usbProbe.collect(ctx)).toEqual({
      devices: [
        { name: 'Unifying Receiver', vendor: 'Logitech', type: 'Mouse', id: '046d:c52b', serial: null },
        { name: 'Ultra', vendor: 'SanDisk', type: 'Storage', id: '0781:5581', serial: '4C530001230528112345' },
        { name: 'Hub', vendor: 'Genesys Logic, Inc.', type: 'Hub', id: '05e3:0610', serial: null },
      ],
    });
  });

  it('fits odd devices into the schema', async () => {
    const ctx = fakeProbeContext({
      platform: 'darwin', // systeminformation's path; Linux reads sysfs (see linux-sysfs.probe.test.ts)
      si: {
        usb: async () =>
          Array.from({ length: 200 }, (_, i) => usb({ id: i === 0 ? ':' : i, name: i === 1 ? 'n'.repeat(400) : '' })),
      },
    });
    const section = await usbProbe.collect(ctx);
    expect(section.devices).toHaveLength(128);
    expect(section.devices[0]).toMatchObject({ id: null, name: 'USB device' });
    expect(section.devices[1]!.name).toHaveLength(256);
    expect(usbSection.safeParse(section).success).toBe(true);
  });

  it('recognizes root hubs by name or by the Linux Foundation vendor ID', () => {
    expect(isRootHub({ name: 'USB Root Hub', type: 'Hub', vendor: '', id: 'x' })).toBe(true);
    expect(isRootHub({ name: 'xHCI Host Controller', type: 'Hub', vendor: 'Linux Foundation', id: '1d6b:0003' })).toBe(
      true,
    );
    expect(isRootHub({ name: 'USB2.0 Hub', type: 'Hub', vendor: 'Genesys', id: '05e3:0608' })).toBe(false);
  });
});
