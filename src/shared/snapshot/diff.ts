import { z } from 'zod';
import { AREA_DIFFS, MAX_CHANGE_ITEM, MAX_CHANGE_VALUE } from './diff-areas';
import type { Snapshot } from './snapshot';

export { summarizeChanges } from './diff-summary';

/*
 * "What changed since this device's last snapshot": the technician's first question after
 * "what is wrong". Pure comparison of two snapshots; an area is compared only when both
 * snapshots carry the section it reads, because a section left out is not a section emptied.
 */

/** Areas of a change, in the order the technician reads them. */
export const CHANGE_AREAS = [
  'software',
  'os',
  'hardware',
  'storage',
  'network',
  'security',
  'printers',
  'services',
] as const;

/** One difference between two snapshots of the same device; travels over HTTP. */
export const snapshotChangeSchema = z.object({
  area: z.enum(CHANGE_AREAS),
  kind: z.enum(['added', 'removed', 'changed']),
  /** What changed, in words: "firefox (snap)", "Filesystem / use", "Default gateway". */
  item: z.string().max(MAX_CHANGE_ITEM),
  /** Value before; null when added or previously unknown. */
  before: z.string().max(MAX_CHANGE_VALUE).nullable(),
  /** Value after; null when removed or now unknown. */
  after: z.string().max(MAX_CHANGE_VALUE).nullable(),
});

/**
 * One difference between two snapshots. For services, "changed" goes between "not failed" and the
 * failed state so a generic renderer reads "cups.service: not failed → failed".
 */
export type SnapshotChange = z.infer<typeof snapshotChangeSchema>;
/** An area of a snapshot change. */
export type ChangeArea = SnapshotChange['area'];
/** Whether something appeared, disappeared or changed value. */
export type ChangeKind = SnapshotChange['kind'];

const AREA_RANK = new Map<ChangeArea, number>(CHANGE_AREAS.map((area, i) => [area, i]));
const KIND_RANK: Record<ChangeKind, number> = { removed: 0, added: 1, changed: 2 };

/** Code-point order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts changes by area order, then item, then kind; the order every consumer shows. */
export function compareChanges(a: SnapshotChange, b: SnapshotChange): number {
  return (
    (AREA_RANK.get(a.area) ?? 0) - (AREA_RANK.get(b.area) ?? 0) ||
    compareText(a.item, b.item) ||
    KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    compareText(a.before ?? '', b.before ?? '') ||
    compareText(a.after ?? '', b.after ?? '')
  );
}

/** Everything that differs from `before` to `after`, in a deterministic order. */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotChange[] {
  // Hashed serials never match clear ones, so compare disks by serial only when both agree.
  const ctx = { sameRedaction: before.redacted === after.redacted };
  return AREA_DIFFS.flatMap((diff) => diff(before.sections, after.sections, ctx)).sort(compareChanges);
}
