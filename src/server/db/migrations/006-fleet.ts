import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Fleet queries ("which computers have Chrome older than 120", "devices with a failing disk") answered
 * from indexed rows instead of every stored snapshot: each device's latest snapshot's installed
 * packages and health findings, rewritten when the device gets a new latest snapshot. device_inventory
 * says which snapshot the rows come from and fingerprints them, so an unchanged package list (the
 * usual case between two snapshots) costs one small update, not a rewrite. The rows of devices that
 * already have snapshots are filled in at start (src/server/fleet/fleet-index.service.ts).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';

  await db.schema
    .createTable('device_inventory')
    .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
    .addColumn('snapshot_id', big, (c) => c.notNull())
    .addColumn('software_hash', 'text', (c) => c.notNull())
    .addColumn('findings_hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('device_software')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  // By package name across the fleet; by device for the rewrite.
  await db.schema
    .createIndex('device_software_name')
    .on('device_software')
    .columns(['name_lower', 'device_id'])
    .execute();
  await db.schema.createIndex('device_software_device').on('device_software').column('device_id').execute();

  await db.schema
    .createTable('device_findings')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_findings_code').on('device_findings').columns(['code', 'device_id']).execute();
  await db.schema.createIndex('device_findings_device').on('device_findings').column('device_id').execute();

  // The fleet's OS breakdown and OS filter.
  await db.schema.createIndex('devices_os').on('devices').columns(['os_name', 'os_version']).execute();
}
