import type { Snapshot } from '../../shared/snapshot';
import macosLaptop from './snapshots/macos-laptop.json';
import ubuntuLaptop from './snapshots/ubuntu-laptop.json';
import windowsLaptop from './snapshots/windows-laptop.json';

/*
 * The demo fleet: real snapshot fixtures (src/server/demo/snapshots, made by
 * scripts/demo/make-demo-snapshots.ts from the test fixtures) renamed per computer, each with the
 * problem its tickets are about, so the health rules find what the tickets say.
 */

const HOUR_MS = 3_600_000;
const BASES = {
  ubuntu: { snapshot: ubuntuLaptop as unknown as Snapshot, user: 'jdoe' },
  windows: { snapshot: windowsLaptop as unknown as Snapshot, user: 'mschmidt' },
  macos: { snapshot: macosLaptop as unknown as Snapshot, user: 'lnguyen' },
} as const;

type Problem = (s: Snapshot) => void;

/** A demo computer: which fixture it is, who uses it, what is wrong with it. */
export interface DemoDevice {
  key: string;
  base: keyof typeof BASES;
  hostname: string;
  user: string;
  /** The employee's name on this computer's tickets. */
  person: string;
  type?: 'laptop' | 'desktop';
  groups: string[];
  problems: Problem[];
  /** How long ago the agent was last heard from. */
  lastSeenMinutesAgo: number;
}

const userFilesystem = (s: Snapshot) =>
  s.sections.storage?.filesystems.find((f) => f.mount === '/' || f.mount === 'C:') ?? null;

const diskFull =
  (percent: number): Problem =>
  (s) => {
    const fs = userFilesystem(s);
    if (!fs) return;
    fs.usedBytes = Math.round((fs.sizeBytes * percent) / 100);
    fs.availableBytes = fs.sizeBytes - fs.usedBytes;
    fs.usePercent = percent;
  };
const upForDays =
  (days: number): Problem =>
  (s) => {
    if (!s.sections.os) return;
    s.sections.os.uptimeSeconds = days * 86_400 + 3_600 * 5;
    s.sections.os.lastBoot = new Date(Date.parse(s.collectedAt) - s.sections.os.uptimeSeconds * 1000).toISOString();
  };
const rebootPending =
  (reason: string): Problem =>
  (s) => {
    if (!s.sections.os) return;
    s.sections.os.pendingReboot = true;
    s.sections.os.pendingRebootReasons = [reason];
  };
const dnsFailing: Problem = (s) => {
  for (const check of s.sections.connectivity?.checks ?? [])
    if (check.kind === 'dns' || check.kind === 'server')
      Object.assign(check, { status: 'failed', latencyMs: null, detail: 'getaddrinfo ENOTFOUND' });
};
const batteryWorn =
  (healthPercent: number): Problem =>
  (s) => {
    if (s.sections.battery) Object.assign(s.sections.battery, { healthPercent, cycleCount: 1140 });
  };
const firewallOff: Problem = (s) => {
  if (s.sections.security) s.sections.security.firewall.enabled = false;
};
const serviceFailed =
  (name: string, description: string): Problem =>
  (s) => {
    if (s.sections.services) s.sections.services.failed = [{ name, state: 'failed', description }];
  };

/** The computers the demo enrolls. */
export const DEMO_DEVICES: readonly DemoDevice[] = [
  {
    key: 'lt-jdoe',
    base: 'ubuntu',
    hostname: 'lt-jdoe-0042',
    user: 'jdoe',
    person: 'Jane Doe',
    groups: ['engineering'],
    problems: [diskFull(96)],
    lastSeenMinutesAgo: 2,
  },
  {
    key: 'lt-akovacs',
    base: 'ubuntu',
    hostname: 'lt-akovacs',
    user: 'akovacs',
    person: 'Adam Kovacs',
    groups: ['engineering'],
    problems: [],
    lastSeenMinutesAgo: 4,
  },
  {
    key: 'ws-build',
    base: 'ubuntu',
    hostname: 'ws-build-07',
    user: 'builder',
    person: 'Build team',
    type: 'desktop',
    groups: ['engineering'],
    problems: [upForDays(41), serviceFailed('cups.service', 'CUPS Scheduler')],
    lastSeenMinutesAgo: 1,
  },
  {
    key: 'lt-mschmidt',
    base: 'windows',
    hostname: 'LT-MSCHMIDT',
    user: 'mschmidt',
    person: 'Maria Schmidt',
    groups: ['finance'],
    problems: [rebootPending('Windows Update')],
    lastSeenMinutesAgo: 7,
  },
  {
    key: 'lt-pberger',
    base: 'windows',
    hostname: 'LT-PBERGER',
    user: 'pberger',
    person: 'Paul Berger',
    groups: ['sales'],
    problems: [dnsFailing],
    lastSeenMinutesAgo: 12,
  },
  {
    key: 'dt-reception',
    base: 'windows',
    hostname: 'DT-RECEPTION-01',
    user: 'reception',
    person: 'Front desk',
    type: 'desktop',
    groups: ['office'],
    problems: [],
    lastSeenMinutesAgo: 3,
  },
  {
    key: 'lt-aokafor',
    base: 'windows',
    hostname: 'LT-AOKAFOR',
    user: 'aokafor',
    person: 'Ada Okafor',
    groups: ['sales'],
    problems: [batteryWorn(58)],
    lastSeenMinutesAgo: 95,
  },
  {
    key: 'mb-lnguyen',
    base: 'macos',
    hostname: 'MB-LNGUYEN',
    user: 'lnguyen',
    person: 'Linh Nguyen',
    groups: ['design'],
    problems: [],
    lastSeenMinutesAgo: 5,
  },
  {
    key: 'mb-tsato',
    base: 'macos',
    hostname: 'MB-TSATO',
    user: 'tsato',
    person: 'Takeshi Sato',
    groups: ['design'],
    problems: [diskFull(92), firewallOff],
    lastSeenMinutesAgo: 26,
  },
];

/** The machine id a demo computer enrolls with: recognisable, and stable across runs (idempotence). */
export const demoMachineId = (device: DemoDevice) => `demo-${device.key}`;

/**
 * A snapshot of a demo computer collected at `at`: its fixture with its name and user, and its
 * problems unless `healthy` (the baseline a week earlier, so "what changed" has something to show).
 */
export function demoSnapshot(device: DemoDevice, at: number, healthy = false): Snapshot {
  const base = BASES[device.base];
  const json = JSON.stringify(base.snapshot).replaceAll(`"${base.user}"`, `"${device.user}"`);
  const s = JSON.parse(json.replaceAll(`/${base.user}/`, `/${device.user}/`)) as Snapshot;
  s.collectedAt = new Date(at).toISOString();
  if (s.sections.os) {
    s.sections.os.hostname = device.hostname;
    s.sections.os.lastBoot = new Date(at - s.sections.os.uptimeSeconds * 1000).toISOString();
  }
  if (s.sections.device && device.type) s.sections.device.type = device.type;
  if (device.type === 'desktop')
    s.sections.battery = {
      present: false,
      percent: null,
      charging: null,
      acConnected: true,
      cycleCount: null,
      healthPercent: null,
      model: null,
      serial: null,
    };
  if (healthy) {
    // A week ago: less on the disk, and one package a version behind.
    const fs = userFilesystem(s);
    if (fs) diskFull(Math.max(20, Math.round(fs.usePercent - 9)))(s);
    const pkg = s.sections.software?.packages[0];
    if (pkg?.version) pkg.version = pkg.version.replace(/\d+$/, (n) => String(Math.max(0, Number(n) - 1)));
  } else for (const problem of device.problems) problem(s);
  return s;
}

/** Hours, in milliseconds. */
export const hours = (n: number) => n * HOUR_MS;
