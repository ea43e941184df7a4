import type { ProbeContext } from '../probe';
import { LSBLK_COMMAND, parseLsblkDisks, parseMounts } from '../parsers/linux-hw.parser';
import { runCommand } from './probe-utils';
import type { Filesystem, Layout } from './storage.probe';

// File systems systeminformation (and df) leave out unless they sit on a device path.
const MEMORY_FS = /rootfs|unionfs|squashfs|cramfs|initrd|initramfs|devtmpfs|tmpfs|udev|devfs|specfs|appimaged/i;

/** Mounted file systems from /proc/mounts and statfs(2): what `df` prints, without spawning it. */
export async function linuxFilesystems(ctx: ProbeContext): Promise<Filesystem[]> {
  const mounts = parseMounts((await ctx.files.readText('/proc/mounts', 1024 * 1024)) ?? '').filter(
    (m) =>
      m.fsType !== 'squashfs' &&
      (m.device.startsWith('/') || m.mount === '/' || m.device.indexOf('/') > 0 || !MEMORY_FS.test(m.fsType)),
  );
  // Like df, a device mounted several times (bind mounts) is shown once, at its shortest path.
  const byDevice = new Map<string, (typeof mounts)[number]>();
  for (const m of mounts) {
    const key = m.device.startsWith('/') ? m.device : `${m.device}\0${m.mount}`;
    const seen = byDevice.get(key);
    if (!seen || m.mount.length < seen.mount.length) byDevice.set(key, m);
  }
  const chosen = [...byDevice.values()];
  const spaces = await Promise.all(chosen.map((m) => ctx.files.space(m.mount)));
  return chosen.flatMap((m, i) => {
    const space = spaces[i];
    return space ? [{ fs: m.device, type: m.fsType, mount: m.mount, ...space }] : [];
  });
}

/** Whole disks from lsblk, with the rotational flag from sysfs and SMART health from smartctl where present. */
export async function linuxDisks(ctx: ProbeContext): Promise<Layout[]> {
  const out = await runCommand(ctx, LSBLK_COMMAND, 2000);
  if (!out || out.exitCode !== 0) return [];
  const disks = parseLsblkDisks(out.stdout);
  return Promise.all(
    disks.map(async (d): Promise<Layout> => {
      const device = `/dev/${d.name}`;
      const [rotational, smart] = await Promise.all([
        ctx.files.readText(`/sys/block/${d.name}/queue/rotational`, 16),
        runCommand(ctx, ['smartctl', ['-H', '-j', device]], 2000),
      ]);
      const nvme = d.tran?.toLowerCase() === 'nvme';
      const model = d.model ?? '';
      return {
        name: model,
        device,
        type: nvme
          ? 'NVMe'
          : rotational?.trim() === '0'
            ? 'SSD'
            : rotational?.trim() === '1'
              ? 'HD'
              : model.includes('SSD')
                ? 'SSD'
                : 'HD',
        interfaceType: nvme ? 'PCIe' : (d.tran?.toUpperCase() ?? ''),
        size: d.sizeBytes,
        serialNum: d.serial ?? '',
        smartStatus: smartStatus(smart?.stdout ?? ''),
      };
    }),
  );
}

function smartStatus(json: string): string {
  try {
    const passed = (JSON.parse(json) as { smart_status?: { passed?: boolean } }).smart_status?.passed;
    return passed === true ? 'Ok' : passed === false ? 'Predicted Failure' : 'unknown';
  } catch {
    return 'unknown';
  }
}
