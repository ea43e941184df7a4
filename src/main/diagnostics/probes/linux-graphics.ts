import type { Systeminformation } from 'systeminformation';
import type { ProbeContext } from '../probe';

/*
 * Graphics adapters and displays on Linux from sysfs, in systeminformation's shapes, without
 * lspci, xrandr, xdpyinfo, clinfo, dmidecode or nvidia-smi (systeminformation runs several of those
 * synchronously, blocking every other probe). Adapters are the PCI display-class devices, named from
 * the pci.ids database; displays are the DRM connectors whose status is "connected", with their
 * preferred mode and the monitor name and refresh rate from its EDID. Works without an X session.
 */

type Graphics = Pick<Systeminformation.GraphicsData, 'controllers' | 'displays'>;

const PCI = '/sys/bus/pci/devices';
const DRM = '/sys/class/drm';
const PCI_IDS = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids', '/usr/share/pci.ids'];
/** PCI class 0x03xx: VGA, XGA, 3D and other display controllers. */
const DISPLAY_CLASS = 0x03;
/** IORESOURCE_PREFETCH in the flags column of a PCI device's `resource` file. */
const PREFETCH = 0x2000;
const BUILT_IN = /^(eDP|LVDS|DSI)-/;

export async function linuxGraphics(ctx: ProbeContext): Promise<Graphics> {
  const [controllers, displays] = await Promise.all([linuxControllers(ctx), linuxDisplays(ctx)]);
  return { controllers, displays };
}

async function linuxControllers(ctx: ProbeContext): Promise<Systeminformation.GraphicsControllerData[]> {
  const read = async (path: string) => (await ctx.files.readText(path, 64 * 1024))?.trim() ?? '';
  const devices = await Promise.all(
    ((await ctx.files.list(PCI)) ?? []).map(async (slot) => ({ slot, cls: await read(`${PCI}/${slot}/class`) })),
  );
  const gpus = devices.filter((d) => Number.parseInt(d.cls, 16) >> 16 === DISPLAY_CLASS).map((d) => d.slot);
  if (gpus.length === 0) return [];
  const ids = await readPciIds(ctx);
  return Promise.all(
    gpus.sort().map(async (slot) => {
      const dir = `${PCI}/${slot}`;
      const [vendorId, deviceId, resource, vramTotal, uevent] = await Promise.all([
        read(`${dir}/vendor`),
        read(`${dir}/device`),
        read(`${dir}/resource`),
        read(`${dir}/mem_info_vram_total`),
        read(`${dir}/uevent`),
      ]);
      const names = pciNames(ids, vendorId, deviceId);
      const driver = /^DRIVER=(.+)$/m.exec(uevent)?.[1] ?? '';
      const driverVersion = driver ? await read(`/sys/module/${driver}/version`) : '';
      // amdgpu reports the exact VRAM; otherwise the largest prefetchable BAR, as lspci shows it.
      const vramBytes = Number(vramTotal) > 0 ? Number(vramTotal) : largestPrefetchableBar(resource);
      return {
        vendor: names.vendor,
        model: names.device,
        bus: 'PCI',
        busAddress: slot.replace(/^0000:/, ''),
        vram: vramBytes > 0 ? Math.round(vramBytes / 1024 / 1024) : null,
        vramDynamic: false,
        driverVersion,
      };
    }),
  );
}

/** Vendor and device names for hex IDs ("0x8086", "0x3ea0"); the IDs themselves when unknown. */
export function pciNames(ids: string, vendorId: string, deviceId: string): { vendor: string; device: string } {
  const v = vendorId.replace(/^0x/, '').toLowerCase();
  const d = deviceId.replace(/^0x/, '').toLowerCase();
  const at = ids.search(new RegExp(`^${v}  `, 'm'));
  if (!v || at < 0) return { vendor: v ? `PCI vendor ${v}` : '', device: d ? `PCI device ${d}` : '' };
  const nextVendor = ids.slice(at + 1).search(/^[0-9a-f]{4} {2}/m);
  const block = ids.slice(at, nextVendor < 0 ? undefined : at + 1 + nextVendor);
  const vendor = block.slice(v.length + 2, block.indexOf('\n')).trim();
  const device = new RegExp(`^\\t${d}  (.+)$`, 'm').exec(block)?.[1]?.trim();
  return { vendor, device: device ?? (d ? `PCI device ${d}` : '') };
}

async function readPciIds(ctx: ProbeContext): Promise<string> {
  for (const path of PCI_IDS) {
    const text = await ctx.files.readText(path, 8 * 1024 * 1024);
    if (text) return text;
  }
  return '';
}

/** The size of the largest prefetchable memory BAR in a PCI `resource` file ("start end flags" in hex). */
export function largestPrefetchableBar(resource: string): number {
  let largest = 0;
  for (const line of resource.split('\n').slice(0, 6)) {
    const [start, end, flags] = line
      .trim()
      .split(/\s+/)
      .map((n) => Number.parseInt(n, 16));
    if (start === undefined || end === undefined || flags === undefined || !(end > start)) continue;
    if (flags & PREFETCH) largest = Math.max(largest, end - start + 1);
  }
  return largest;
}

async function linuxDisplays(ctx: ProbeContext): Promise<Systeminformation.GraphicsDisplayData[]> {
  const connectors = ((await ctx.files.list(DRM)) ?? []).filter((n) => /^card\d+-.+/.test(n));
  const found = await Promise.all(
    connectors.map(async (entry) => {
      const dir = `${DRM}/${entry}`;
      const status = (await ctx.files.readText(`${dir}/status`, 64))?.trim();
      if (status !== 'connected') return null;
      const [modes, edid] = await Promise.all([
        ctx.files.readText(`${dir}/modes`, 64 * 1024),
        ctx.files.readBytes(`${dir}/edid`, 32 * 1024),
      ]);
      return { name: entry.replace(/^card\d+-/, ''), mode: modes?.split('\n')[0]?.trim() ?? '', edid: parseEdid(edid) };
    }),
  );
  const connected = found.filter((d) => d !== null);
  // No compositor to ask which output is primary: the built-in panel, else the first connector.
  connected.sort((a, b) => Number(BUILT_IN.test(b.name)) - Number(BUILT_IN.test(a.name)));
  return connected.map((d, i) => {
    const [, w, h] = /^(\d+)x(\d+)/.exec(d.mode) ?? [];
    const width = w ? Number(w) : null;
    const height = h ? Number(h) : null;
    const sameMode = d.edid && d.edid.width === width && d.edid.height === height;
    return {
      vendor: d.edid?.vendor ?? '',
      vendorId: null,
      model: d.edid?.name ?? '',
      productionYear: null,
      serial: null,
      deviceName: d.name,
      displayId: null,
      main: i === 0,
      builtin: BUILT_IN.test(d.name),
      connection: d.name,
      sizeX: null,
      sizeY: null,
      pixelDepth: null,
      resolutionX: width,
      resolutionY: height,
      currentResX: width,
      currentResY: height,
      positionX: 0,
      positionY: 0,
      currentRefreshRate: sameMode && d.edid ? d.edid.refreshHz : null,
    };
  });
}

interface Edid {
  vendor: string;
  name: string | null;
  width: number;
  height: number;
  refreshHz: number | null;
}

const EDID_HEADER = [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];

/** The manufacturer code, monitor name and preferred timing of an EDID 1.x base block; null if not one. */
export function parseEdid(bytes: Uint8Array | null): Edid | null {
  if (!bytes || bytes.length < 128 || EDID_HEADER.some((b, i) => bytes[i] !== b)) return null;
  const at = (i: number) => bytes[i] ?? 0;
  const maker = (at(8) << 8) | at(9);
  const letter = (n: number) => String.fromCharCode(64 + (n & 0x1f));
  const vendor = letter(maker >> 10) + letter(maker >> 5) + letter(maker);
  let name: string | null = null;
  for (let d = 54; d < 126; d += 18) {
    // A display descriptor (pixel clock 0) of tag 0xFC holds the monitor name, ended by "\n".
    if (at(d) === 0 && at(d + 1) === 0 && at(d + 3) === 0xfc) {
      name =
        String.fromCharCode(...bytes.subarray(d + 5, d + 18))
          .split('\n')[0]!
          .trim() || null;
    }
  }
  // The first detailed timing descriptor is the preferred mode.
  const clock = ((at(55) << 8) | at(54)) * 10_000;
  const width = at(56) | ((at(58) & 0xf0) << 4);
  const height = at(59) | ((at(61) & 0xf0) << 4);
  const hTotal = width + (at(57) | ((at(58) & 0x0f) << 8));
  const vTotal = height + (at(60) | ((at(61) & 0x0f) << 8));
  const refreshHz = clock > 0 && hTotal > 0 && vTotal > 0 ? Math.round((clock / (hTotal * vTotal)) * 100) / 100 : null;
  return { vendor, name, width, height, refreshHz };
}
