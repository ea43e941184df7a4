import type { Systeminformation } from 'systeminformation';
import type { ProbeContext } from '../probe';
import { runCommand } from './probe-utils';

/*
 * Linux device lists from sysfs and CUPS's own files, in systeminformation's shapes, so the probes
 * map them exactly as they map si's answers; systeminformation would spawn lsusb, lspci, xrandr,
 * nvidia-smi and shells for the same (some synchronously, stalling every other probe).
 */

// USB base classes (usb.org "Defined Class Codes").
const USB_CLASSES: Record<string, string> = {
  '01': 'Audio',
  '02': 'Communications',
  '03': 'HID',
  '06': 'Image',
  '07': 'Printer',
  '08': 'Storage',
  '09': 'Hub',
  '0a': 'CDC Data',
  '0b': 'Smart Card',
  '0e': 'Video',
  e0: 'Wireless',
  ef: 'Miscellaneous',
  ff: 'Vendor Specific',
};

type Usb = Pick<Systeminformation.UsbData, 'name' | 'type' | 'vendor' | 'manufacturer' | 'id' | 'serialNumber'>;

/** USB devices from /sys/bus/usb/devices (device nodes only, not interfaces). */
export async function linuxUsb(ctx: ProbeContext): Promise<Usb[]> {
  const root = '/sys/bus/usb/devices';
  const names = ((await ctx.files.list(root)) ?? []).filter((n) => !n.includes(':'));
  const read = async (name: string, file: string) =>
    (await ctx.files.readText(`${root}/${name}/${file}`, 4096))?.trim() ?? '';
  const devices = await Promise.all(
    names.map(async (name): Promise<Usb | null> => {
      const [
        vendorId = '',
        productId = '',
        product = '',
        manufacturer = '',
        serial = '',
        deviceClass = '',
        interfaceClass = '',
      ] = await Promise.all(
        [
          'idVendor',
          'idProduct',
          'product',
          'manufacturer',
          'serial',
          'bDeviceClass',
          `${name}:1.0/bInterfaceClass`,
        ].map((f) => read(name, f)),
      );
      if (!vendorId) return null;
      const cls = deviceClass && deviceClass !== '00' ? deviceClass : interfaceClass;
      return {
        name: product,
        type: USB_CLASSES[cls.toLowerCase()] ?? '',
        vendor: manufacturer,
        manufacturer,
        id: `${vendorId}:${productId}`,
        serialNumber: serial,
      };
    }),
  );
  return devices.filter((d): d is Usb => d !== null);
}

type Printer = Pick<Systeminformation.PrinterData, 'name' | 'model' | 'status' | 'default' | 'shared'>;

/** CUPS queues: printers.conf where readable (root), else `lpstat -lp` and `lpstat -d`. */
export async function linuxPrinters(ctx: ProbeContext): Promise<Printer[]> {
  const conf = await ctx.files.readText('/etc/cups/printers.conf', 1024 * 1024);
  if (conf !== null) return parsePrintersConf(conf);
  const [list, dflt] = await Promise.all([
    runCommand(ctx, ['lpstat', ['-lp']], 2000),
    runCommand(ctx, ['lpstat', ['-d']], 2000),
  ]);
  if (!list || list.exitCode !== 0) return [];
  const defaultName = /destination:\s*(\S+)/.exec(dflt?.stdout ?? '')?.[1] ?? '';
  return parseLpstatPrinters(list.stdout, defaultName);
}

/** Parses CUPS's printers.conf: `<Printer q>` / `<DefaultPrinter q>` blocks with Info and State. */
export function parsePrintersConf(text: string): Printer[] {
  const out: Printer[] = [];
  let current: Printer | null = null;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const open = /^<(Default)?Printer\s+(.+)>$/.exec(line);
    if (open) {
      current = { name: open[2] ?? '', model: open[2] ?? '', status: '', default: Boolean(open[1]), shared: false };
      continue;
    }
    if (!current) continue;
    if (/^<\/(Default)?Printer>$/.test(line)) {
      out.push(current);
      current = null;
    } else if (line.startsWith('Info ')) current.name = line.slice(5).trim() || current.name;
    else if (line.startsWith('State ')) current.status = line.slice(6).trim().toLowerCase();
    else if (line.startsWith('Shared ')) current.shared = /yes|true/i.test(line);
  }
  return out;
}

/** Parses `lpstat -lp`: one "printer NAME is idle." (or "disabled since") line per queue. */
export function parseLpstatPrinters(text: string, defaultName: string): Printer[] {
  return text
    .split('\n')
    .map((line) => /^printer\s+(\S+)\s+(?:is\s+)?(\w+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      name: m[1] ?? '',
      model: m[1] ?? '',
      status: (m[2] ?? '').toLowerCase(),
      default: m[1] === defaultName,
      shared: false,
    }));
}
