import { release } from 'node:os';
import type { Systeminformation } from 'systeminformation';
import type { ProbeContext } from '../probe';

const DMI = '/sys/devices/virtual/dmi/id';

/** SMBIOS chassis type numbers (DMTF DSP0134, table 17) as systeminformation names them. */
const CHASSIS_TYPES = [
  '',
  'Other',
  'Unknown',
  'Desktop',
  'Low Profile Desktop',
  'Pizza Box',
  'Mini Tower',
  'Tower',
  'Portable',
  'Laptop',
  'Notebook',
  'Hand Held',
  'Docking Station',
  'All in One',
  'Sub Notebook',
  'Space-Saving',
  'Lunch Box',
  'Main System Chassis',
  'Expansion Chassis',
  'SubChassis',
  'Bus Expansion Chassis',
  'Peripheral Chassis',
  'RAID Chassis',
  'Rack Mount Chassis',
  'Sealed-case PC',
  'Multi-System Chassis',
  'Compact PCI',
  'Advanced TCA',
  'Blade',
  'Blade Enclosure',
  'Tablet',
  'Convertible',
  'Detachable',
  'IoT Gateway',
  'Embedded PC',
  'Mini PC',
  'Stick PC',
];

// Hypervisors that name themselves in the DMI vendor or product (systeminformation's list).
const VIRTUAL = /virtualbox|kvm|qemu|vmware|bochs|xen|parallels|virtual machine|hyper-v|innotek/i;

/** The DMI records of a Linux machine in systeminformation's shapes; files that root alone may read stay empty. */
export async function linuxDmi(ctx: ProbeContext): Promise<{
  system: Systeminformation.SystemData;
  bios: Systeminformation.BiosData;
  chassis: Systeminformation.ChassisData;
}> {
  const names = [
    'sys_vendor',
    'product_name',
    'product_version',
    'product_serial',
    'product_uuid',
    'product_sku',
    'bios_vendor',
    'bios_version',
    'bios_date',
    'chassis_vendor',
    'chassis_type',
    'chassis_version',
    'chassis_serial',
    'chassis_asset_tag',
  ] as const;
  const values = await Promise.all(names.map((n) => ctx.files.readText(`${DMI}/${n}`, 4096)));
  const dmi = Object.fromEntries(names.map((n, i) => [n, (values[i] ?? '').trim()])) as Record<
    (typeof names)[number],
    string
  >;
  const system: Systeminformation.SystemData = {
    manufacturer: dmi.sys_vendor,
    model: dmi.product_name || 'Computer',
    version: dmi.product_version,
    serial: dmi.product_serial,
    uuid: dmi.product_uuid.toLowerCase(),
    sku: dmi.product_sku,
    virtual: VIRTUAL.test(`${dmi.sys_vendor} ${dmi.product_name}`),
  };
  const kernel = release().toLowerCase();
  if (!system.virtual && (kernel.includes('microsoft') || kernel.endsWith('wsl2'))) {
    Object.assign(system, { virtual: true, manufacturer: 'Microsoft', model: 'WSL' });
  }
  // systeminformation's container check: Docker leaves these files at the root.
  if ((await ctx.files.readText('/.dockerenv', 1)) !== null || (await ctx.files.readText('/.dockerinit', 1)) !== null) {
    system.model = 'Docker Container';
  }
  return {
    system,
    bios: { vendor: dmi.bios_vendor, version: dmi.bios_version, releaseDate: dmi.bios_date, revision: '' },
    chassis: {
      manufacturer: dmi.chassis_vendor,
      model: '',
      type: CHASSIS_TYPES[Number(dmi.chassis_type)] ?? '',
      version: dmi.chassis_version,
      serial: dmi.chassis_serial,
      assetTag: dmi.chassis_asset_tag,
      sku: '',
    },
  };
}
