import { describe, expect, it } from 'vitest';
import { parseCpuinfo, parseLsblkDisks, parseMeminfo, parseMounts } from './linux-hw.parser';

const INTEL = `processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-10610U CPU @ 1.80GHz
physical id\t: 0
core id\t\t: 0

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-10610U CPU @ 1.80GHz
physical id\t: 0
core id\t\t: 0

processor\t: 2
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-10610U CPU @ 1.80GHz
physical id\t: 0
core id\t\t: 1
`;

describe('parseCpuinfo', () => {
  it('names the processor as systeminformation does and counts cores and threads', () => {
    expect(parseCpuinfo(INTEL)).toEqual({
      manufacturer: 'Intel',
      brand: 'Intel Core™ i7-10610U',
      speedGHz: 1.8,
      physicalCores: 2,
      logicalCores: 3,
    });
  });

  it('leaves the speed unknown when the model does not state it, and counts threads without core ids', () => {
    const amd =
      'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n\nprocessor\t: 1\nmodel name\t: AMD EPYC\n';
    expect(parseCpuinfo(amd)).toEqual({
      manufacturer: 'AMD',
      brand: 'AMD EPYC',
      speedGHz: null,
      physicalCores: 2,
      logicalCores: 2,
    });
  });

  it('returns null for text that is not cpuinfo', () => {
    expect(parseCpuinfo('hello')).toBeNull();
  });
});

describe('parseMeminfo', () => {
  it('reads kB figures as bytes', () => {
    const text =
      'MemTotal:       16000000 kB\nMemFree:  1000 kB\nMemAvailable:   8000000 kB\nSwapTotal: 2048 kB\nSwapFree: 1024 kB\nHugePages_Total: 0\n';
    expect(parseMeminfo(text)).toEqual({
      total: 16_000_000 * 1024,
      free: 1000 * 1024,
      available: 8_000_000 * 1024,
      swapTotal: 2048 * 1024,
      swapFree: 1024 * 1024,
    });
  });

  it('returns null without MemTotal', () => {
    expect(parseMeminfo('MemFree: 1 kB')).toBeNull();
  });
});

describe('parseMounts', () => {
  it('decodes octal escapes in paths', () => {
    expect(parseMounts('/dev/sdb1 /media/My\\040Disk vfat rw 0 0\nproc /proc proc rw 0 0\n')).toEqual([
      { device: '/dev/sdb1', mount: '/media/My Disk', fsType: 'vfat' },
      { device: 'proc', mount: '/proc', fsType: 'proc' },
    ]);
  });
});

describe('parseLsblkDisks', () => {
  const device = (p: Record<string, unknown>) => ({
    type: 'disk',
    size: 512_110_190_592,
    model: null,
    serial: null,
    tran: null,
    mountpoint: null,
    label: null,
    fstype: null,
    parttype: null,
    'disc-max': 0,
    ...p,
  });

  it('keeps disks with a model and unformatted virtual disks, not loop devices or partitions', () => {
    const json = JSON.stringify({
      blockdevices: [
        device({ name: 'nvme0n1', path: '/dev/nvme0n1', model: 'Samsung SSD 980', serial: ' S64 ', tran: 'nvme' }),
        device({ name: 'vdb', path: '/dev/vdb', 'disc-max': 2147483648 }),
        device({ name: 'vda', path: '/dev/vda', mountpoint: '/', fstype: 'ext4', 'disc-max': 2147483648 }),
        device({ name: 'loop0', path: '/dev/loop0', 'disc-max': 4294966784 }),
        device({ name: 'nvme0n1p1', path: '/dev/nvme0n1p1', type: 'part', model: 'x' }),
        device({ name: 'sr0', path: '/dev/sr0', model: 'DVD', size: 0 }),
      ],
    });
    expect(parseLsblkDisks(json)).toEqual([
      { name: 'nvme0n1', model: 'Samsung SSD 980', serial: 'S64', tran: 'nvme', sizeBytes: 512_110_190_592 },
      { name: 'vdb', model: null, serial: null, tran: null, sizeBytes: 512_110_190_592 },
    ]);
  });

  it('returns nothing for output that is not lsblk JSON', () => {
    expect(parseLsblkDisks('lsblk: unknown column')).toEqual([]);
    expect(parseLsblkDisks('{"x":1}')).toEqual([]);
  });
});
