import { formatBytes } from '../format';
import type { ChangeArea, ChangeKind, SnapshotChange } from './diff';
import type { Filesystem, NetworkInterface, Snapshot } from './snapshot';

/*
 * One comparer per change area. Each returns nothing unless both snapshots carry the sections
 * it reads. Values are rendered as the technician would say them ("16.0 GB", "on"), which also
 * makes comparisons immune to meaningless drift such as a few bytes of reserved memory.
 */

/** Longest item text a change carries. */
export const MAX_CHANGE_ITEM = 1100;
/** Longest before/after value a change carries. */
export const MAX_CHANGE_VALUE = 1024;

/** Fixed item names, shared with the summary so it never parses free text. */
export const ITEM = {
  osName: 'OS name',
  osVersion: 'OS version',
  osBuild: 'OS build',
  kernel: 'Kernel',
  hostname: 'Hostname',
  pendingReboot: 'Pending reboot',
  cpu: 'CPU',
  memory: 'Memory',
  gateway: 'Default gateway',
  dns: 'DNS servers',
  wifi: 'Wi-Fi network',
  firewall: 'Firewall',
  firewallProduct: 'Firewall product',
  encryption: 'Disk encryption',
  secureBoot: 'Secure Boot',
  defaultPrinter: 'Default printer',
} as const;

/** Prefixes of per-object item names: "Disk …", "Filesystem … use", "IPv4 address (…)". */
export const ITEM_PREFIX = {
  disk: 'Disk ',
  filesystem: 'Filesystem ',
  iface: 'Interface ',
  ipv4: 'IPv4 address ',
  antivirus: 'Antivirus ',
} as const;

/** Suffix of the filesystem usage item, so the summary can tell it from add/remove. */
export const FS_USE_SUFFIX = ' use';
/** Points of usage change worth telling a technician about; smaller moves are daily churn. */
const FS_USE_CHANGE_POINTS = 5;
/** Snap images and RAM disks come and go with updates and reboots: not storage changes. */
const VOLATILE_FS_TYPES = new Set([
  'squashfs',
  'tmpfs',
  'devtmpfs',
  'ramfs',
  'devfs',
  'autofs',
  'proc',
  'sysfs',
  'efivarfs',
]);

type SectionsOf = Snapshot['sections'];
/** What a comparer needs to know about the pair beyond their sections. */
export interface DiffContext {
  sameRedaction: boolean;
}
type AreaDiff = (before: SectionsOf, after: SectionsOf, ctx: DiffContext) => SnapshotChange[];

function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function change(
  area: ChangeArea,
  kind: ChangeKind,
  item: string,
  before: string | null,
  after: string | null,
): SnapshotChange {
  const value = (v: string | null) => (v === null ? null : clipText(v, MAX_CHANGE_VALUE));
  return { area, kind, item: clipText(item, MAX_CHANGE_ITEM), before: value(before), after: value(after) };
}

/** A single value that differs; null is a value here ("no gateway"). */
function changed(area: ChangeArea, item: string, before: string | null, after: string | null): SnapshotChange[] {
  return before === after ? [] : [change(area, 'changed', item, before, after)];
}

/** A tri-state that flipped; a side that does not know is no evidence of change. */
function flipped(area: ChangeArea, item: string, before: boolean | null, after: boolean | null): SnapshotChange[] {
  if (before === null || after === null) return [];
  return changed(area, item, onOff(before), onOff(after));
}

const onOff = (value: boolean): string => (value ? 'on' : 'off');
const listOrNull = (values: readonly string[]): string | null => (values.length > 0 ? values.join(', ') : null);

/**
 * Groups items by key. Duplicate keys (several kernels of one package, twin disks without a
 * serial) fold into one entry whose value lists every distinct value, so they compare as a set.
 */
function group<T>(
  items: readonly T[],
  key: (t: T) => string,
  value: (t: T) => string | null,
): Map<string, string | null> {
  const all = new Map<string, Array<string | null>>();
  for (const item of items) {
    const k = key(item);
    const values = all.get(k);
    if (values) values.push(value(item));
    else all.set(k, [value(item)]);
  }
  const grouped = new Map<string, string | null>();
  for (const [k, values] of all) {
    if (values.length === 1) grouped.set(k, values[0] ?? null);
    else grouped.set(k, listOrNull([...new Set(values.map((v) => v ?? '?'))].sort()));
  }
  return grouped;
}

/** Added and removed keys, and (unless `addRemoveOnly`) changed values of keys on both sides. */
function diffKeyed<T>(
  area: ChangeArea,
  before: readonly T[],
  after: readonly T[],
  key: (t: T) => string,
  value: (t: T) => string | null,
  addRemoveOnly = false,
): SnapshotChange[] {
  const b = group(before, key, value);
  const a = group(after, key, value);
  const out: SnapshotChange[] = [];
  for (const [k, v] of b) {
    if (!a.has(k)) out.push(change(area, 'removed', k, v, null));
    else if (!addRemoveOnly && a.get(k) !== v) out.push(change(area, 'changed', k, v, a.get(k) ?? null));
  }
  for (const [k, v] of a) if (!b.has(k)) out.push(change(area, 'added', k, null, v));
  return out;
}

/** Keys present on both sides, with the first item of each. */
function common<T>(before: readonly T[], after: readonly T[], key: (t: T) => string): Array<[string, T, T]> {
  const b = new Map<string, T>();
  for (const item of before) if (!b.has(key(item))) b.set(key(item), item);
  const out: Array<[string, T, T]> = [];
  const seen = new Set<string>();
  for (const item of after) {
    const k = key(item);
    const old = b.get(k);
    if (old !== undefined && !seen.has(k)) out.push([k, old, item]);
    seen.add(k);
  }
  return out;
}

const software: AreaDiff = (before, after) => {
  if (!before.software || !after.software) return [];
  // A package manager that failed on either side would look like every package it owns was
  // removed or added; leave its packages out instead.
  const broken = new Set(
    [...before.software.sources, ...after.software.sources].filter((s) => s.error !== null).map((s) => s.source),
  );
  const usable = (list: typeof before.software.packages) => list.filter((p) => !broken.has(p.source));
  return diffKeyed(
    'software',
    usable(before.software.packages),
    usable(after.software.packages),
    (p) => `${p.name} (${p.source})`,
    (p) => p.version,
  );
};

const os: AreaDiff = (before, after) => {
  const b = before.os;
  const a = after.os;
  if (!b || !a) return [];
  const yesNo = (v: boolean | null) => (v === null ? null : v ? 'yes' : 'no');
  return [
    ...changed('os', ITEM.osName, b.name, a.name),
    ...changed('os', ITEM.osVersion, b.version, a.version),
    ...changed('os', ITEM.osBuild, b.build, a.build),
    ...changed('os', ITEM.kernel, b.kernel, a.kernel),
    ...changed('os', ITEM.hostname, b.hostname, a.hostname),
    ...(b.pendingReboot !== null && a.pendingReboot !== null
      ? changed('os', ITEM.pendingReboot, yesNo(b.pendingReboot), yesNo(a.pendingReboot))
      : []),
  ];
};

const hardware: AreaDiff = (before, after) => [
  ...(before.cpu && after.cpu ? changed('hardware', ITEM.cpu, before.cpu.brand, after.cpu.brand) : []),
  ...(before.memory && after.memory
    ? changed('hardware', ITEM.memory, formatBytes(before.memory.totalBytes), formatBytes(after.memory.totalBytes))
    : []),
];

const isStorageFs = (fs: Filesystem): boolean =>
  !fs.mount.startsWith('/snap/') && !(fs.fsType !== null && VOLATILE_FS_TYPES.has(fs.fsType.toLowerCase()));

const storage: AreaDiff = (before, after, ctx) => {
  const b = before.storage;
  const a = after.storage;
  if (!b || !a) return [];
  const diskKey = (d: { name: string; serial: string | null }) =>
    `${ITEM_PREFIX.disk}${d.name}${ctx.sameRedaction && d.serial ? ` (S/N ${d.serial})` : ''}`;
  const disks = diffKeyed('storage', b.disks, a.disks, diskKey, (d) => formatBytes(d.sizeBytes));

  const fsB = b.filesystems.filter(isStorageFs);
  const fsA = a.filesystems.filter(isStorageFs);
  const fsKey = (fs: Filesystem) => `${ITEM_PREFIX.filesystem}${fs.mount}`;
  const fsValue = (fs: Filesystem) => [formatBytes(fs.sizeBytes), fs.fsType].filter(Boolean).join(' ');
  const filesystems = diffKeyed('storage', fsB, fsA, fsKey, fsValue, true);
  for (const [key, old, now] of common(fsB, fsA, fsKey)) {
    filesystems.push(...changed('storage', `${key} size`, formatBytes(old.sizeBytes), formatBytes(now.sizeBytes)));
    if (Math.abs(now.usePercent - old.usePercent) >= FS_USE_CHANGE_POINTS) {
      filesystems.push(
        change(
          'storage',
          'changed',
          `${key}${FS_USE_SUFFIX}`,
          `${Math.round(old.usePercent)}%`,
          `${Math.round(now.usePercent)}%`,
        ),
      );
    }
  }
  return [...disks, ...filesystems];
};

// Container veth pairs appear and vanish with every container; they are not the device's network.
const isDeviceInterface = (i: NetworkInterface): boolean => i.type !== 'loopback' && !i.name.startsWith('veth');

const network: AreaDiff = (before, after) => {
  const b = before.network;
  const a = after.network;
  if (!b || !a) return [];
  const ifB = b.interfaces.filter(isDeviceInterface);
  const ifA = a.interfaces.filter(isDeviceInterface);
  const ipv4 = (i: NetworkInterface) => listOrNull([...i.ipv4].sort());
  const out = diffKeyed(
    'network',
    ifB,
    ifA,
    (i) => `${ITEM_PREFIX.iface}${i.name}`,
    (i) => [i.type, ipv4(i)].filter(Boolean).join(', '),
    true,
  );
  for (const [, old, now] of common(ifB, ifA, (i) => i.name)) {
    out.push(...changed('network', `${ITEM_PREFIX.ipv4}(${now.name})`, ipv4(old), ipv4(now)));
  }
  return [
    ...out,
    ...changed('network', ITEM.gateway, b.defaultGateway || null, a.defaultGateway || null),
    // Order matters for DNS (the first server is asked first), so the lists compare in order.
    ...changed('network', ITEM.dns, listOrNull(b.dnsServers), listOrNull(a.dnsServers)),
    ...changed('network', ITEM.wifi, b.wifi?.ssid ?? null, a.wifi?.ssid ?? null),
  ];
};

const security: AreaDiff = (before, after) => {
  const b = before.security;
  const a = after.security;
  if (!b || !a) return [];
  const avState = (av: { enabled: boolean | null; upToDate: boolean | null }) =>
    [
      av.enabled === null ? null : av.enabled ? 'on' : 'off',
      av.upToDate === null ? null : av.upToDate ? 'up to date' : 'out of date',
    ]
      .filter(Boolean)
      .join(', ') || 'unknown';
  return [
    ...flipped('security', ITEM.firewall, b.firewall.enabled, a.firewall.enabled),
    ...(b.firewall.product && a.firewall.product
      ? changed('security', ITEM.firewallProduct, b.firewall.product, a.firewall.product)
      : []),
    ...flipped('security', ITEM.encryption, b.diskEncryption.enabled, a.diskEncryption.enabled),
    ...flipped('security', ITEM.secureBoot, b.secureBoot, a.secureBoot),
    ...diffKeyed('security', b.antivirus, a.antivirus, (av) => `${ITEM_PREFIX.antivirus}${av.name}`, avState),
  ];
};

const printers: AreaDiff = (before, after) => {
  const b = before.printers;
  const a = after.printers;
  if (!b || !a) return [];
  const defaultName = (list: typeof b.printers) => list.find((p) => p.isDefault)?.name ?? null;
  return [
    ...diffKeyed(
      'printers',
      b.printers,
      a.printers,
      (p) => p.name,
      (p) => p.status ?? 'installed',
      true,
    ),
    ...changed('printers', ITEM.defaultPrinter, defaultName(b.printers), defaultName(a.printers)),
  ];
};

/** Value on the healthy side of a service change. */
export const NOT_FAILED = 'not failed';

const services: AreaDiff = (before, after) => {
  const b = before.services;
  const a = after.services;
  if (!b || !a) return [];
  const failedB = group(
    b.failed,
    (s) => s.name,
    (s) => s.state,
  );
  const failedA = group(
    a.failed,
    (s) => s.name,
    (s) => s.state,
  );
  const out: SnapshotChange[] = [];
  for (const [name, state] of failedA)
    if (!failedB.has(name)) out.push(change('services', 'changed', name, NOT_FAILED, state));
  for (const [name, state] of failedB)
    if (!failedA.has(name)) out.push(change('services', 'changed', name, state, NOT_FAILED));
  return out;
};

/** Every area's comparer; the final order comes from sorting, not from this list. */
export const AREA_DIFFS: readonly AreaDiff[] = [software, os, hardware, storage, network, security, printers, services];
