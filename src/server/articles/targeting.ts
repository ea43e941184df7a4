import type { DeviceIdentity } from '../auth/guards';
import { parseStringArray } from '../db/json-columns';

/*
 * Who sees a piece of content. Targeting is stored as two JSON arrays written by JSON.stringify, so an
 * empty dimension is always exactly '[]' and means "every device". Both listed dimensions must match:
 * an article for `win32` in group `finance` reaches Windows machines of the finance group only. The
 * same rule as a SQL condition is targetedAtSql in article-search.repo.ts.
 */

/** The targeting columns of an article or announcement row. */
export interface TargetedRow {
  target_os: string;
  target_groups: string;
  /** Announcements of a network incident: the affected devices only (JSON array; null or absent: no limit). */
  target_devices?: string | null;
}

/** Whether a row's targeting includes the device. */
export function isTargetedAt(
  row: TargetedRow,
  device: Pick<DeviceIdentity, 'os_platform' | 'groups'> & { id?: string },
): boolean {
  if (row.target_devices !== undefined && row.target_devices !== null) {
    if (device.id === undefined || !parseStringArray(row.target_devices).includes(device.id)) return false;
  }
  const os = parseStringArray(row.target_os);
  if (os.length > 0 && !os.includes(device.os_platform)) return false;
  const groups = parseStringArray(row.target_groups);
  if (groups.length === 0) return true;
  const mine = new Set(parseStringArray(device.groups));
  return groups.some((g) => mine.has(g));
}
