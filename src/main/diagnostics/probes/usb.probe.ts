import type { Systeminformation } from 'systeminformation';
import { truncate } from '../parsers/parse-utils';
import { defineProbe } from '../probe';
import { linuxUsb } from './linux-devices';
import { cleanField } from './probe-utils';

/** The schema caps the list; hubs full of hubs must not fail the section. */
const MAX_DEVICES = 128;

/** USB vendor ID of the Linux Foundation, used only by the kernel's virtual root hubs. */
const LINUX_FOUNDATION_VENDOR_ID = '1d6b';

/**
 * Is this a host controller's root hub? Every machine has several and they say nothing
 * about what the employee plugged in, so they only bury the interesting devices.
 */
export function isRootHub(device: Pick<Systeminformation.UsbData, 'name' | 'type' | 'vendor' | 'id'>): boolean {
  const name = (device.name ?? '').toLowerCase();
  if (name.includes('root hub')) return true;
  const id = String(device.id ?? '').toLowerCase();
  return id.startsWith(`${LINUX_FOUNDATION_VENDOR_ID}:`) && (device.type ?? '').toLowerCase() === 'hub';
}

/** Attached USB devices, without root hubs; serials are kept here and hashed by redaction. */
export const usbProbe = defineProbe({
  section: 'usb',
  budgetMs: 3000,
  async collect(ctx) {
    const devices = (ctx.platform === 'linux' ? await linuxUsb(ctx) : await ctx.si.usb()) ?? [];
    return {
      devices: devices
        .filter((d) => !isRootHub(d))
        .slice(0, MAX_DEVICES)
        .map((d) => {
          const id = cleanField(d.id, 64);
          const vendor = cleanField(d.manufacturer) ?? cleanField(d.vendor);
          return {
            name: cleanField(d.name) ?? truncate(vendor ? `${vendor} device` : 'USB device', 256),
            vendor,
            type: cleanField(d.type, 64),
            // ":" alone is what systeminformation builds when lsusb printed no IDs.
            id: id === ':' ? null : id,
            serial: cleanField(d.serialNumber),
          };
        }),
    };
  },
});
