import type { Sections } from '../../../shared/snapshot';
import { defineProbe, type ProbeContext } from '../probe';
import { linuxDmi } from './dmi';
import { cleanField, optional } from './probe-utils';

type DeviceType = Sections['device']['type'];

/*
 * SMBIOS chassis type names as systeminformation reports them (DMTF DSP0134, table 17;
 * on macOS it derives them from the model). Tablets and convertibles go with laptops: for
 * the help desk they are portable, battery-powered machines.
 */
const LAPTOP = ['portable', 'laptop', 'notebook', 'sub notebook', 'tablet', 'convertible', 'detachable', 'hand held'];
const DESKTOP = [
  'desktop',
  'low profile desktop',
  'pizza box',
  'mini tower',
  'tower',
  'all in one',
  'space-saving',
  'lunch box',
  'sealed-case pc',
  'mini pc',
  'stick pc',
];
const SERVER = [
  'main system chassis',
  'main server chassis',
  'rack mount chassis',
  'multi-system chassis',
  'blade',
  'blade enclosure',
];

/** Maps a chassis type name, and whether the machine is virtual, to the snapshot's device type. */
export function deviceTypeOf(chassisType: string | null | undefined, virtual: boolean): DeviceType {
  if (virtual) return 'virtual-machine';
  const type = (chassisType ?? '').trim().toLowerCase();
  if (type === '' || type === 'unknown') return 'unknown';
  if (LAPTOP.includes(type)) return 'laptop';
  if (DESKTOP.includes(type)) return 'desktop';
  if (SERVER.includes(type)) return 'server';
  return 'other';
}

/** Vendor, model, serial, form factor and firmware of the machine. */
export const deviceProbe = defineProbe({
  section: 'device',
  budgetMs: 2000,
  async collect(ctx) {
    // The system record is the section; BIOS and chassis only refine it, so their failure is tolerated.
    const { system, bios, chassis } = await records(ctx);
    const biosInfo = bios
      ? {
          vendor: cleanField(bios.vendor),
          version: cleanField(bios.version),
          releaseDate: cleanField(bios.releaseDate),
        }
      : null;
    const virtual = system.virtual === true;
    return {
      vendor: cleanField(system.manufacturer) ?? cleanField(chassis?.manufacturer),
      model: cleanField(system.model),
      serial: cleanField(system.serial) ?? cleanField(chassis?.serial),
      type: deviceTypeOf(chassis?.type, virtual),
      virtual,
      bios: biosInfo && Object.values(biosInfo).some((v) => v !== null) ? biosInfo : null,
    };
  },
});

async function records(ctx: ProbeContext) {
  // Linux: the kernel's DMI files, as systeminformation reads them after dmidecode, without its shells.
  if (ctx.platform === 'linux') return linuxDmi(ctx);
  const [system, bios, chassis] = await Promise.all([
    ctx.si.system(),
    optional(ctx.si.bios()),
    optional(ctx.si.chassis()),
  ]);
  return { system, bios, chassis };
}
