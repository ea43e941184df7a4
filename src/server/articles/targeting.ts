import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DeviceIdentity } from '../auth/guards';
import type { Dialect } from '../db/database';
import { parseStringArray } from '../db/json-columns';

/*
 * Who sees a piece of content. Targeting is stored as two JSON arrays written by JSON.stringify, so an
 * empty dimension is always exactly '[]' and means "every device". Both listed dimensions must match:
 * an article for `win32` in group `finance` reaches Windows machines of the finance group only.
 */

/** The targeting columns of an article or announcement row. */
export interface TargetedRow {
  target_os: string;
  target_groups: string;
}

/** Whether a row's targeting includes the device. */
export function isTargetedAt(row: TargetedRow, device: Pick<DeviceIdentity, 'os_platform' | 'groups'>): boolean {
  const os = parseStringArray(row.target_os);
  if (os.length > 0 && !os.includes(device.os_platform)) return false;
  const groups = parseStringArray(row.target_groups);
  if (groups.length === 0) return true;
  const mine = new Set(parseStringArray(device.groups));
  return groups.some((g) => mine.has(g));
}

/**
 * The same rule as isTargetedAt as a SQL condition over `<alias>.target_os/target_groups`, for queries
 * that must filter before LIMIT (search). The device's groups are passed re-serialized, never raw.
 */
export function targetedAtSql(
  dialect: Dialect,
  alias: string,
  device: Pick<DeviceIdentity, 'os_platform' | 'groups'>,
): RawBuilder<SqlBool> {
  const os = sql.ref(`${alias}.target_os`);
  const groups = sql.ref(`${alias}.target_groups`);
  const mine = JSON.stringify(parseStringArray(device.groups));
  if (dialect === 'postgres') {
    return sql<SqlBool>`((${os} = '[]' OR ${os}::jsonb @> jsonb_build_array(${device.os_platform}::text))
      AND (${groups} = '[]' OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(${groups}::jsonb) AS t(v)
        WHERE t.v IN (SELECT jsonb_array_elements_text(${mine}::jsonb)))))`;
  }
  return sql<SqlBool>`((${os} = '[]' OR EXISTS (SELECT 1 FROM json_each(${os}) WHERE value = ${device.os_platform}))
    AND (${groups} = '[]' OR EXISTS (SELECT 1 FROM json_each(${groups}) WHERE value IN (SELECT value FROM json_each(${mine})))))`;
}
