import type { Filesystem } from '../snapshot';
import { formatBytes, formatList } from '../format';
import type { HealthRule, HealthThresholds, RuleHit } from './rule';
import { clip, pct } from './rule';

/*
 * Rules about the machine's own resources: disks, memory, battery and CPU.
 */

/**
 * Filesystem types that are always "full" or vanish on reboot (snap images, RAM disks, CDs):
 * warning about them would teach people to ignore the health check. overlay stays: on
 * containers and immutable distros it is the real root.
 */
const PSEUDO_FS_TYPES = new Set([
  'squashfs',
  'tmpfs',
  'devtmpfs',
  'iso9660',
  'udf',
  'ramfs',
  'devfs',
  'autofs',
  'proc',
  'sysfs',
  'efivarfs',
  'cgroup',
  'cgroup2',
]);

/** Whether a filesystem is one an employee can fill and a technician can clean up. */
export function isUserFilesystem(fs: Filesystem, minSizeBytes: number): boolean {
  if (fs.fsType !== null && PSEUDO_FS_TYPES.has(fs.fsType.toLowerCase())) return false;
  if (fs.mount.startsWith('/snap/')) return false;
  if (fs.mount === '/boot/efi' || fs.mount.startsWith('/boot/efi/')) return false;
  return fs.sizeBytes >= minSizeBytes;
}

/** Disk space running out on a real filesystem. */
export const diskAlmostFull: HealthRule<'disk.almost_full'> = {
  code: 'disk.almost_full',
  title: 'Your disk is almost full',
  articleTags: ['disk-space', 'cleanup'],
  evaluate(snapshot, t) {
    const storage = snapshot.sections.storage;
    if (!storage) return [];
    return storage.filesystems
      .filter((fs) => isUserFilesystem(fs, t.diskMinSizeBytes) && fs.usePercent >= t.diskWarnPercent)
      .map((fs) => ({
        severity: fs.usePercent >= t.diskCriticalPercent ? 'critical' : 'warning',
        evidence:
          `${fs.mount} is ${pct(fs.usePercent)} full: ` +
          `${formatBytes(fs.availableBytes)} free of ${formatBytes(fs.sizeBytes)}`,
      }));
  },
};

/** A disk whose own self-test predicts failure: data loss is near. */
export const diskSmartFailing: HealthRule<'disk.smart_failing'> = {
  code: 'disk.smart_failing',
  title: 'A disk is failing: back up your files now',
  articleTags: ['disk-health', 'backup'],
  evaluate(snapshot) {
    const storage = snapshot.sections.storage;
    if (!storage) return [];
    return storage.disks
      .filter((disk) => disk.smart === 'failing')
      .map((disk) => {
        const where = [disk.device, disk.serial && `serial ${disk.serial}`].filter(Boolean).join(', ');
        return {
          severity: 'critical',
          evidence:
            `Disk ${disk.name}${where ? ` (${where})` : ''}, ${formatBytes(disk.sizeBytes)}, ` +
            `reports SMART status "failing"`,
        };
      });
  },
};

/** RAM exhausted: either nearly all of it, or most of it with swap already under strain. */
export const memoryPressure: HealthRule<'memory.pressure'> = {
  code: 'memory.pressure',
  title: 'Your computer is running low on memory',
  articleTags: ['memory', 'performance'],
  evaluate(snapshot, t) {
    const memory = snapshot.sections.memory;
    if (!memory) return [];
    const hasSwap = memory.swapTotalBytes > 0;
    const swapPercent = hasSwap ? (memory.swapUsedBytes / memory.swapTotalBytes) * 100 : 0;
    let severity: RuleHit['severity'];
    if (memory.usedPercent >= t.memoryCriticalPercent) severity = 'critical';
    // High RAM use alone is normal (caches); it hurts once there is no swap to absorb it
    // or swap is already half spent.
    else if (memory.usedPercent >= t.memoryWarnPercent && (!hasSwap || swapPercent >= t.swapPressurePercent))
      severity = 'warning';
    else return [];

    const swap = hasSwap
      ? `swap ${pct(swapPercent)} used (${formatBytes(memory.swapUsedBytes)} of ${formatBytes(memory.swapTotalBytes)})`
      : 'no swap';
    const biggest = snapshot.sections.processes?.topByMemory[0];
    const hog = biggest ? `; largest: ${biggest.name} ${formatBytes(biggest.memoryBytes)}` : '';
    return [
      {
        severity,
        evidence:
          `Memory ${pct(memory.usedPercent)} used: ${formatBytes(memory.availableBytes)} available ` +
          `of ${formatBytes(memory.totalBytes)}; ${swap}${hog}`,
      },
    ];
  },
};

/** A battery that no longer holds a useful charge. */
export const batteryWorn: HealthRule<'battery.worn'> = {
  code: 'battery.worn',
  title: 'Your battery is worn out',
  articleTags: ['battery', 'hardware'],
  evaluate(snapshot, t) {
    const battery = snapshot.sections.battery;
    if (!battery?.present) return [];
    const health = battery.healthPercent;
    const cycles = battery.cycleCount;
    const lowHealth = health !== null && health < t.batteryWarnHealthPercent;
    const manyCycles = cycles !== null && cycles >= t.batteryWarnCycles;
    if (!lowHealth && !manyCycles) return [];

    const facts: string[] = [];
    if (health !== null) facts.push(`Battery holds ${pct(health)} of its design capacity`);
    if (cycles !== null) facts.push(`${cycles} charge cycles`);
    return [
      {
        severity: health !== null && health < t.batteryCriticalHealthPercent ? 'critical' : 'warning',
        evidence: facts.join('; '),
      },
    ];
  },
};

/** A process keeping the CPU busy, named so the employee knows what to close. */
export const cpuHog: HealthRule<'cpu.hog'> = {
  code: 'cpu.hog',
  title: 'An app is slowing down your computer',
  articleTags: ['performance', 'cpu'],
  evaluate(snapshot, t: HealthThresholds) {
    const processes = snapshot.sections.processes;
    if (!processes) return [];
    const hogs = processes.topByCpu
      .filter((p) => p.cpuPercent >= t.cpuHogPercent)
      .sort((a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid);
    if (hogs.length === 0) return [];

    const named = hogs.map((p) => `${clip(p.name, 64)} (pid ${p.pid}) at ${Math.round(p.cpuPercent)}% CPU`);
    const cores = snapshot.sections.cpu?.logicalCores;
    // Percent of one core reads oddly above 100, so say what 100% means.
    const scale = cores ? `100% = one of ${cores} logical cores` : '100% = one logical core';
    return [{ severity: 'warning', evidence: `${formatList(named, 3)}; ${scale}` }];
  },
};
