import { formatCount } from '../format';
import type { ChangeArea, SnapshotChange } from './diff';
import { FS_USE_SUFFIX, ITEM, ITEM_PREFIX, NOT_FAILED } from './diff-areas';

/*
 * The one line a ticket list or notification shows for a snapshot diff: the few changes that
 * explain most support calls (updates, OS upgrades, a new network, a firewall turned off), counts
 * for the rest.
 */

/** Most parts a summary shows before collapsing the rest into "+N more". */
const MAX_PARTS = 8;

const arrow = (c: SnapshotChange): string => `${c.before ?? 'none'} → ${c.after ?? 'none'}`;
const count = (list: readonly SnapshotChange[], kind: SnapshotChange['kind']) =>
  list.filter((c) => c.kind === kind).length;

function softwareParts(changes: readonly SnapshotChange[]): string[] {
  const updated = count(changes, 'changed');
  const added = count(changes, 'added');
  const removed = count(changes, 'removed');
  // "3 software updates, 1 added, 2 removed": only the first part names the noun.
  const parts: string[] = [];
  if (updated) parts.push(formatCount(updated, 'software update'));
  if (added) parts.push(parts.length > 0 ? `${added} added` : `${formatCount(added, 'software package')} added`);
  if (removed)
    parts.push(parts.length > 0 ? `${removed} removed` : `${formatCount(removed, 'software package')} removed`);
  return parts;
}

function osParts(changes: readonly SnapshotChange[]): string[] {
  return changes.map((c) => {
    switch (c.item) {
      case ITEM.osName:
      case ITEM.osVersion:
        return `OS ${arrow(c)}`;
      case ITEM.osBuild:
        return `build ${arrow(c)}`;
      case ITEM.kernel:
        return `kernel ${arrow(c)}`;
      case ITEM.hostname:
        return `renamed ${arrow(c)}`;
      case ITEM.pendingReboot:
        return c.after === 'yes' ? 'restart now pending' : 'pending restart done';
      default:
        return c.item;
    }
  });
}

function hardwareParts(changes: readonly SnapshotChange[]): string[] {
  return changes.map((c) =>
    c.item === ITEM.memory ? `memory ${arrow(c)}` : c.item === ITEM.cpu ? 'CPU changed' : c.item,
  );
}

function storageParts(changes: readonly SnapshotChange[]): string[] {
  const disks = changes.filter((c) => c.item.startsWith(ITEM_PREFIX.disk));
  const fs = changes.filter((c) => c.item.startsWith(ITEM_PREFIX.filesystem));
  const use = fs.filter((c) => c.kind === 'changed' && c.item.endsWith(FS_USE_SUFFIX));
  const parts = [
    count(disks, 'added') && formatCount(count(disks, 'added'), 'disk') + ' added',
    count(disks, 'removed') && formatCount(count(disks, 'removed'), 'disk') + ' removed',
    count(disks, 'changed') && formatCount(count(disks, 'changed'), 'disk') + ' resized',
    count(fs, 'added') && formatCount(count(fs, 'added'), 'filesystem') + ' added',
    count(fs, 'removed') && formatCount(count(fs, 'removed'), 'filesystem') + ' removed',
    ...use
      .slice(0, 2)
      .map((c) => `${c.item.slice(ITEM_PREFIX.filesystem.length, -FS_USE_SUFFIX.length)} ${arrow(c)} full`),
    use.length > 2 && `${use.length - 2} more filesystems fuller or emptier`,
  ];
  return parts.filter((p): p is string => typeof p === 'string');
}

function networkParts(changes: readonly SnapshotChange[]): string[] {
  const parts: string[] = [];
  const ifaces = changes.filter((c) => c.item.startsWith(ITEM_PREFIX.iface));
  for (const c of changes) {
    if (c.item === ITEM.gateway) parts.push(`gateway ${arrow(c)}`);
    else if (c.item === ITEM.wifi) parts.push(`Wi-Fi ${arrow(c)}`);
    else if (c.item === ITEM.dns) parts.push('DNS servers changed');
  }
  if (changes.some((c) => c.item.startsWith(ITEM_PREFIX.ipv4))) parts.push('IP address changed');
  if (count(ifaces, 'added')) parts.push(`${formatCount(count(ifaces, 'added'), 'network interface')} added`);
  if (count(ifaces, 'removed')) parts.push(`${formatCount(count(ifaces, 'removed'), 'network interface')} removed`);
  return parts;
}

function securityParts(changes: readonly SnapshotChange[]): string[] {
  const parts = changes
    .filter((c) => c.item === ITEM.firewall || c.item === ITEM.encryption || c.item === ITEM.secureBoot)
    .map(
      (c) =>
        `${c.item === ITEM.firewall ? 'firewall' : c.item === ITEM.encryption ? 'disk encryption' : c.item} ${arrow(c)}`,
    );
  if (changes.some((c) => c.item === ITEM.firewallProduct)) parts.push('firewall product changed');
  if (changes.some((c) => c.item.startsWith(ITEM_PREFIX.antivirus))) parts.push('antivirus changed');
  return parts;
}

function printerParts(changes: readonly SnapshotChange[]): string[] {
  const added = count(changes, 'added');
  const removed = count(changes, 'removed');
  return [
    ...(added ? [`${formatCount(added, 'printer')} added`] : []),
    ...(removed ? [added ? `${removed} removed` : `${formatCount(removed, 'printer')} removed`] : []),
    ...(changes.some((c) => c.item === ITEM.defaultPrinter) ? ['default printer changed'] : []),
  ];
}

function serviceParts(changes: readonly SnapshotChange[]): string[] {
  const failed = changes.filter((c) => c.before === NOT_FAILED).length;
  const recovered = changes.filter((c) => c.after === NOT_FAILED).length;
  return [
    ...(failed ? [`${formatCount(failed, 'service')} newly failed`] : []),
    ...(recovered ? [`${formatCount(recovered, 'service')} recovered`] : []),
  ];
}

const AREA_PARTS: Record<ChangeArea, (changes: readonly SnapshotChange[]) => string[]> = {
  software: softwareParts,
  os: osParts,
  hardware: hardwareParts,
  storage: storageParts,
  network: networkParts,
  security: securityParts,
  printers: printerParts,
  services: serviceParts,
};

const AREA_NOUN: Record<ChangeArea, string> = {
  software: 'software',
  os: 'OS',
  hardware: 'hardware',
  storage: 'storage',
  network: 'network',
  security: 'security',
  printers: 'printer',
  services: 'service',
};

/** One short line for a list of changes: "3 software updates, 1 added, OS 24.04 → 24.10". */
export function summarizeChanges(changes: readonly SnapshotChange[]): string {
  if (changes.length === 0) return 'No changes';
  const parts = (Object.keys(AREA_PARTS) as ChangeArea[]).flatMap((area) => {
    const inArea = changes.filter((c) => c.area === area);
    if (inArea.length === 0) return [];
    const described = AREA_PARTS[area](inArea);
    // Changes no part names (a resized filesystem, say) still count, so the line never understates.
    return described.length > 0 ? described : [formatCount(inArea.length, `${AREA_NOUN[area]} change`)];
  });
  if (parts.length <= MAX_PARTS) return parts.join(', ');
  return `${parts.slice(0, MAX_PARTS).join(', ')}, +${parts.length - MAX_PARTS} more`;
}
