import { describe, expect, it } from 'vitest';
import { fakeFileReader, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { batteryProbe } from './battery.probe';
import { cpuProbe } from './cpu.probe';
import { deviceProbe } from './device.probe';
import { memoryProbe } from './memory.probe';
import { processesProbe } from './processes.probe';
import { readProc } from './proc-reading';
import { storageProbe } from './storage.probe';
import { usbProbe } from './usb.probe';
import { monotonicMs } from '../../services/monotonic-clock';

// Linux probes read /proc and /sys instead of systeminformation: any si call here fails the test.
const DMI = '/sys/devices/virtual/dmi/id';

describe('Linux probes on /proc and /sys', () => {
  it('device: describes a laptop from the DMI files', async () => {
    const ctx = fakeProbeContext({
      files: {
        [`${DMI}/sys_vendor`]: 'LENOVO\n',
        [`${DMI}/product_name`]: '20XW0026GE\n',
        [`${DMI}/chassis_type`]: '10\n',
        [`${DMI}/bios_vendor`]: 'LENOVO\n',
        [`${DMI}/bios_version`]: 'N32ET75W (1.51 )\n',
        [`${DMI}/bios_date`]: '01/10/2022\n',
      },
    });
    expect(await deviceProbe.collect(ctx)).toEqual({
      vendor: 'LENOVO',
      model: '20XW0026GE',
      // product_serial is readable by root only.
      serial: null,
      type: 'laptop',
      virtual: false,
      bios: { vendor: 'LENOVO', version: 'N32ET75W (1.51 )', releaseDate: '01/10/2022' },
    });
  });

  it('device: a QEMU guest is a virtual machine; a Docker container says so', async () => {
    const qemu = fakeProbeContext({ files: { [`${DMI}/sys_vendor`]: 'QEMU', [`${DMI}/product_name`]: 'Standard PC' } });
    expect(await deviceProbe.collect(qemu)).toMatchObject({ vendor: 'QEMU', type: 'virtual-machine', virtual: true });
    const docker = fakeProbeContext({ files: { '/.dockerenv': '' } });
    expect(await deviceProbe.collect(docker)).toMatchObject({ model: 'Docker Container', type: 'unknown' });
  });

  it('battery: reads the power-supply class', async () => {
    const bat = '/sys/class/power_supply/BAT0';
    const ctx = fakeProbeContext({
      files: {
        '/sys/class/power_supply/AC/type': 'Mains\n',
        '/sys/class/power_supply/AC/online': '0\n',
        [`${bat}/type`]: 'Battery\n',
        [`${bat}/capacity`]: '57\n',
        [`${bat}/status`]: 'Discharging\n',
        [`${bat}/cycle_count`]: '412\n',
        [`${bat}/energy_full`]: '40000000\n',
        [`${bat}/energy_full_design`]: '50000000\n',
        [`${bat}/model_name`]: '5B10W13930\n',
        [`${bat}/serial_number`]: '1234\n',
      },
    });
    expect(await batteryProbe.collect(ctx)).toEqual({
      present: true,
      percent: 57,
      charging: false,
      acConnected: false,
      cycleCount: 412,
      healthPercent: 80,
      model: '5B10W13930',
      serial: '1234',
    });
  });

  it('storage: file systems from /proc/mounts and statfs, bind mounts once, memory file systems left out', async () => {
    const gib = 2 ** 30;
    const files = fakeFileReader(
      {
        '/proc/mounts': [
          '/dev/nvme0n1p2 / ext4 rw 0 0',
          '/dev/nvme0n1p2 /var/lib/docker ext4 rw 0 0',
          'tmpfs /run tmpfs rw 0 0',
          'proc /proc proc rw 0 0',
          'server:/home /home nfs4 rw 0 0',
        ].join('\n'),
      },
      {
        '/': { size: 100 * gib, used: 60 * gib, available: 35 * gib },
        '/var/lib/docker': { size: 100 * gib, used: 60 * gib, available: 35 * gib },
        '/run': { size: gib, used: 0, available: gib },
        '/proc': { size: 0, used: 0, available: 0 },
        '/home': { size: 10 * gib, used: 5 * gib, available: 5 * gib },
      },
    );
    const ctx = fakeProbeContext({ files, commands: {} });
    const section = await storageProbe.collect(ctx);
    expect(section.disks).toEqual([]);
    expect(section.filesystems.map((f) => [f.mount, f.fsType, f.usePercent])).toEqual([
      ['/', 'ext4', 63.2],
      ['/home', 'nfs4', 50],
    ]);
  });

  it('usb: device nodes from sysfs, root hubs and interfaces left out', async () => {
    const usb = '/sys/bus/usb/devices';
    const ctx = fakeProbeContext({
      files: {
        [`${usb}/usb1/idVendor`]: '1d6b\n',
        [`${usb}/usb1/idProduct`]: '0002\n',
        [`${usb}/usb1/bDeviceClass`]: '09\n',
        [`${usb}/1-2/idVendor`]: '046d\n',
        [`${usb}/1-2/idProduct`]: 'c52b\n',
        [`${usb}/1-2/product`]: 'USB Receiver\n',
        [`${usb}/1-2/manufacturer`]: 'Logitech\n',
        [`${usb}/1-2/bDeviceClass`]: '00\n',
        [`${usb}/1-2/1-2:1.0/bInterfaceClass`]: '03\n',
        [`${usb}/1-2:1.0/bInterfaceClass`]: '03\n',
      },
    });
    expect(await usbProbe.collect(ctx)).toEqual({
      devices: [{ name: 'USB Receiver', vendor: 'Logitech', type: 'HID', id: '046d:c52b', serial: null }],
    });
  });

  it('memory: /proc/meminfo', async () => {
    const ctx = fakeProbeContext({
      files: {
        '/proc/meminfo':
          'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\nSwapTotal: 100 kB\nSwapFree: 40 kB\n',
      },
    });
    expect(await memoryProbe.collect(ctx)).toEqual({
      totalBytes: 1_024_000,
      usedBytes: 768_000,
      availableBytes: 256_000,
      usedPercent: 75,
      swapTotalBytes: 102_400,
      swapUsedBytes: 61_440,
    });
  });

  it('cpu and processes share one sampling window per collection', async () => {
    let statReads = 0;
    const base = fakeFileReader({
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: AMD EPYC\n',
      '/proc/1/stat': '1 (init) S 0 1 1 0 -1 4194560 1 0 0 0 5 5 0 0 20 0 1 0 1 1000 300',
      '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
      '/proc/1/status': 'Uid:\t0\t0\t0\t0\n',
    });
    const files = {
      ...base,
      readTextSync(path: string, max?: number) {
        if (path !== '/proc/stat') return base.readTextSync(path, max);
        statReads += 1;
        return statReads === 1 ? 'cpu  100 0 100 800 0 0 0 0\n' : 'cpu  150 0 150 900 0 0 0 0\n';
      },
    };
    const ctx = fakeProbeContext({ files, settings: { cpuSampleMs: 1 } });
    const [cpu, processes] = await Promise.all([cpuProbe.collect(ctx), processesProbe.collect(ctx)]);
    expect(statReads).toBe(2);
    expect(cpu).toMatchObject({ brand: 'AMD EPYC', logicalCores: 1, loadPercent: 50 });
    expect(processes.total).toBe(1);
    expect(processes.topByMemory[0]).toMatchObject({ name: 'init', user: 'root' });
  });

  it('opens the window with the first reading the caller took earlier (the CLI, at start), and waits only what is left', async () => {
    const files = fakeFileReader({
      '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: AMD EPYC\n',
      '/proc/stat': 'cpu  150 0 150 900 0 0 0 0\n',
      '/proc/1/stat': '1 (init) S 0 1 1 0 -1 4194560 1 0 0 0 30 30 0 0 20 0 1 0 1 1000 300',
      '/proc/1/status': 'Uid:\t0\t0\t0\t0\n',
      '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
    });
    const earlier = {
      '/proc/stat': 'cpu  100 0 100 800 0 0 0 0\n',
      '/proc/1/stat': '1 (init) S 0 1 1 0 -1 4194560 1 0 0 0 10 10 0 0 20 0 1 0 1 1000 300',
    } as Record<string, string>;
    const baseline = readProc(['1', 'self'], (path) => earlier[path] ?? null);
    // Taken a whole window ago: nothing is left to wait.
    baseline.at -= 150;
    const ctx = fakeProbeContext({ files, settings: { cpuSampleMs: 100, procBaseline: baseline } });
    const started = performance.now();
    const [cpu, processes] = await Promise.all([cpuProbe.collect(ctx), processesProbe.collect(ctx)]);
    expect(performance.now() - started).toBeLessThan(100);
    // 50 busy of 100 ticks between the two readings; init used 40 ticks in the window.
    expect(cpu).toMatchObject({ loadPercent: 50 });
    expect(processes.sampleMs).toBeGreaterThanOrEqual(150);
    expect(processes.topByCpu[0]).toMatchObject({ name: 'init' });
    expect(processes.topByCpu[0]!.cpuPercent).toBeGreaterThan(0);

    // A reading from long ago is not "now": the probes take their own first reading.
    const stale = { ...baseline, at: monotonicMs() - 10_000 };
    const fresh = fakeProbeContext({ files, settings: { cpuSampleMs: 1, procBaseline: stale } });
    expect(await cpuProbe.collect(fresh)).toMatchObject({ loadPercent: 0 });
  });
});
