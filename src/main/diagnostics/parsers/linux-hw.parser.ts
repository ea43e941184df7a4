/*
 * Pure readers of Linux hardware files (/proc/meminfo, /proc/cpuinfo, /proc/mounts, `lsblk -J`):
 * what systeminformation spawns shells for, read directly. Field meanings follow proc(5) and lsblk(8).
 */

/** Memory figures from /proc/meminfo, in bytes. */
export interface MemInfo {
  total: number;
  free: number;
  /** MemAvailable; 0 on kernels older than 3.14, which do not report it. */
  available: number;
  swapTotal: number;
  swapFree: number;
}

/** Parses /proc/meminfo ("Key:   1234 kB" lines); null when MemTotal is missing. */
export function parseMeminfo(text: string): MemInfo | null {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match?.[1] && match[2]) kb.set(match[1], Number(match[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  if (total === undefined) return null;
  return {
    total,
    free: kb.get('MemFree') ?? 0,
    available: kb.get('MemAvailable') ?? 0,
    swapTotal: kb.get('SwapTotal') ?? 0,
    swapFree: kb.get('SwapFree') ?? 0,
  };
}

/** The processor as the snapshot describes it. */
export interface CpuInfo {
  manufacturer: string | null;
  /** Cleaned model name, starting with the manufacturer's name. */
  brand: string;
  /** Base speed from the model name ("@ 2.60GHz"), null when it does not say. */
  speedGHz: number | null;
  physicalCores: number;
  logicalCores: number;
}

// Vendor names as systeminformation reports them, matched in the model name or vendor id.
const CPU_VENDORS: ReadonlyArray<[RegExp, string]> = [
  [/intel/i, 'Intel'],
  [/amd/i, 'AMD'],
  [/qemu/i, 'QEMU'],
  [/hygon/i, 'Hygon'],
  [/centaur/i, 'WinChip/Via'],
  [/vmware/i, 'VMware'],
  [/xen/i, 'Xen Hypervisor'],
  [/tcg/i, 'QEMU'],
  [/apple/i, 'Apple'],
  [/sifive/i, 'SiFive'],
  [/thead/i, 'T-Head'],
  [/andestech/i, 'Andes Technology'],
];

/** Parses /proc/cpuinfo: model, vendor, logical processors and physical cores. */
export function parseCpuinfo(text: string): CpuInfo | null {
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  if (blocks.length === 0) return null;
  const field = (block: string, key: string) =>
    new RegExp(`^${key}\\s*:\\s*(.*)$`, 'mi').exec(block)?.[1]?.trim() ?? '';
  const first = blocks[0] ?? '';
  const model = field(first, 'model name') || field(first, 'Processor') || field(first, 'cpu model');
  const [name = '', speed] = model.split('@');
  const cleaned = name
    .replace(/\(R\)+/g, '®')
    .replace(/\(TM\)+/g, '™')
    .replace(/\(C\)+/g, '©')
    .replace(/CPU+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const manufacturer =
    CPU_VENDORS.find(([re]) => re.test(cleaned))?.[1] ??
    CPU_VENDORS.find(([re]) => re.test(field(first, 'vendor_id')))?.[1] ??
    null;
  // As systeminformation does: the first word of the model is the vendor's own spelling.
  const rest = cleaned.split(' ').slice(1).join(' ');
  const ghz = speed ? parseFloat(speed) : NaN;
  const cores = new Set<string>();
  for (const block of blocks) {
    const core = field(block, 'core id');
    if (core !== '') cores.add(`${field(block, 'physical id')}:${core}`);
  }
  return {
    manufacturer,
    brand: [manufacturer, rest].filter(Boolean).join(' ') || cleaned || 'unknown',
    speedGHz: Number.isFinite(ghz) && ghz > 0 ? ghz : null,
    physicalCores: cores.size || blocks.length,
    logicalCores: blocks.length,
  };
}

/** One line of /proc/mounts. */
export interface Mount {
  device: string;
  mount: string;
  fsType: string;
}

/** Parses /proc/mounts; octal escapes (\040 for a space) decoded. */
export function parseMounts(text: string): Mount[] {
  const decode = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((parts) => parts.length >= 3 && parts[0] && parts[1] && parts[2])
    .map(([device = '', mount = '', fsType = '']) => ({ device: decode(device), mount: decode(mount), fsType }));
}

/** A whole disk from `lsblk -ablJO`. */
export interface BlockDisk {
  name: string;
  model: string | null;
  serial: string | null;
  /** Transport: sata, nvme, usb… */
  tran: string | null;
  sizeBytes: number;
}

/** The lsblk invocation whose JSON parseLsblkDisks reads. */
export const LSBLK_COMMAND = ['lsblk', ['-ablJO']] as const;

/**
 * Whole disks from `lsblk -ablJO`, with systeminformation's filter: a disk with a model, or an
 * unformatted, unmounted device that accepts discards (virtual disks); never loop or RAM devices.
 */
export function parseLsblkDisks(json: string): BlockDisk[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const devices = (parsed as { blockdevices?: unknown })?.blockdevices;
  if (!Array.isArray(devices)) return [];
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  return (devices as Record<string, unknown>[])
    .filter((d) => {
      const size = Number(d.size);
      if (d.type !== 'disk' || !(size > 0)) return false;
      if (d.model !== null && d.model !== undefined) return true;
      const path = typeof d.path === 'string' ? d.path : '';
      return (
        d.mountpoint === null &&
        d.label === null &&
        d.fstype === null &&
        d.parttype === null &&
        path !== '' &&
        !path.startsWith('/dev/ram') &&
        !path.startsWith('/dev/loop') &&
        Boolean(d['disc-max'])
      );
    })
    .map((d) => ({
      name: String(d.name),
      model: text(d.model),
      serial: text(d.serial),
      tran: text(d.tran),
      sizeBytes: Number(d.size),
    }));
}
