/*
 * The snapshot's section names and titles as plain data, with no zod: the employee window and the
 * console import them without pulling the schema library into their bundles. snapshot.ts checks
 * that its section schemas cover exactly these names.
 */

/** All section names in display order. */
export const SECTION_NAMES = [
  'device',
  'os',
  'cpu',
  'memory',
  'storage',
  'battery',
  'displays',
  'network',
  'connectivity',
  'processes',
  'services',
  'software',
  'printers',
  'usb',
  'events',
  'security',
  'remoteTools',
] as const;

export type SectionName = (typeof SECTION_NAMES)[number];

/** Human titles for sections, shared by the CLI, the agent preview and the console. */
export const SECTION_TITLES: Readonly<Record<SectionName, string>> = {
  device: 'Device',
  os: 'Operating system',
  cpu: 'Processor',
  memory: 'Memory',
  storage: 'Storage',
  battery: 'Battery',
  displays: 'Displays and graphics',
  network: 'Network',
  connectivity: 'Connectivity checks',
  processes: 'Top processes',
  services: 'Services',
  software: 'Installed software',
  printers: 'Printers',
  usb: 'USB devices',
  events: 'Recent system errors',
  security: 'Security',
  remoteTools: 'Remote access tools',
};

/** Version of the snapshot document; bump on any incompatible change. */
export const SNAPSHOT_SCHEMA_VERSION = 1;
