import type { Systeminformation } from 'systeminformation';
import type { Sections } from '../../../shared/snapshot';
import { defineProbe } from '../probe';
import { linuxDisks, linuxFilesystems } from './linux-storage';

type Disk = Sections['storage']['disks'][number];
/** The fields of a disk the section uses, in systeminformation's shape. */
export type Layout = Pick<
  Systeminformation.DiskLayoutData,
  'name' | 'device' | 'type' | 'interfaceType' | 'size' | 'serialNum' | 'smartStatus'
>;
/** The fields of a file system the section uses, in systeminformation's shape. */
export type Filesystem = Pick<Systeminformation.FsSizeData, 'fs' | 'type' | 'size' | 'used' | 'available' | 'mount'>;

// Kernel pseudo file systems say nothing about the user's space.
const PSEUDO_FS = new Set([
  'tmpfs',
  'devtmpfs',
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'squashfs',
  'overlayfs-lower',
  'nsfs',
  'autofs',
  'efivarfs',
]);

/** Physical disks with SMART state and mounted file systems with use %. */
export const storageProbe = defineProbe({
  section: 'storage',
  budgetMs: 2500,
  async collect(ctx) {
    const linux = ctx.platform === 'linux';
    const [layout, filesystems] = await Promise.all([
      (linux ? linuxDisks(ctx) : ctx.si.diskLayout()).catch((): Layout[] => []),
      linux ? linuxFilesystems(ctx) : ctx.si.fsSize(),
    ]);
    const seen = new Set<string>();
    return {
      disks: layout.slice(0, 64).map((d: Layout): Disk => ({
        name: (d.name || d.device || 'disk').slice(0, 256),
        device: d.device || null,
        type: d.type || null,
        interface: d.interfaceType || null,
        sizeBytes: Math.max(0, d.size || 0),
        serial: d.serialNum?.trim() || null,
        smart: smart(d.smartStatus),
      })),
      filesystems: (filesystems as Filesystem[])
        .filter((f) => !PSEUDO_FS.has(f.type.toLowerCase()) && f.size > 0)
        .filter((f) => !seen.has(f.mount) && seen.add(f.mount))
        .slice(0, 128)
        .map((f) => {
          const available = Math.max(0, f.available);
          const used = Math.max(0, f.used);
          // Use% as df shows it: used / (used + available), root reserve excluded.
          const use = used + available > 0 ? (used / (used + available)) * 100 : 0;
          return {
            mount: f.mount.slice(0, 1024),
            device: f.fs ? f.fs.slice(0, 1024) : null,
            fsType: f.type || null,
            sizeBytes: f.size,
            usedBytes: used,
            availableBytes: available,
            usePercent: Math.round(use * 10) / 10,
          };
        }),
    };
  },
});

function smart(status: string | undefined): Disk['smart'] {
  const s = (status ?? '').toLowerCase();
  if (s === 'ok') return 'ok';
  if (s.includes('fail') || s.includes('predicted')) return 'failing';
  return 'unknown';
}
