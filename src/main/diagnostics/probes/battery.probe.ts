import type { Systeminformation } from 'systeminformation';
import { defineProbe, type ProbeContext } from '../probe';
import { clamp, cleanField, countOrNull, finiteOrNull, round } from './probe-utils';

/** Full-charge capacity as a share of design capacity, or null when either is unknown. */
export function batteryHealthPercent(maxCapacity: unknown, designedCapacity: unknown): number | null {
  const max = finiteOrNull(maxCapacity);
  const design = finiteOrNull(designedCapacity);
  if (!max || !design) return null;
  // The schema allows up to 200: new cells often exceed their rating, broken gauges report nonsense.
  return clamp(round((max / design) * 100, 1), 0, 200);
}

/** Charge, charging state, cycle count and wear of the main battery. */
export const batteryProbe = defineProbe({
  section: 'battery',
  budgetMs: 2000,
  async collect(ctx) {
    const battery = ctx.platform === 'linux' ? await linuxBattery(ctx) : await ctx.si.battery();
    if (!battery.hasBattery) {
      return {
        present: false,
        percent: null,
        charging: null,
        acConnected: null,
        cycleCount: null,
        healthPercent: null,
        model: null,
        serial: null,
      };
    }
    const percent = finiteOrNull(battery.percent);
    return {
      present: true,
      percent: percent === null ? null : clamp(percent, 0, 100),
      charging: typeof battery.isCharging === 'boolean' ? battery.isCharging : null,
      acConnected: typeof battery.acConnected === 'boolean' ? battery.acConnected : null,
      cycleCount: countOrNull(battery.cycleCount),
      healthPercent: batteryHealthPercent(battery.maxCapacity, battery.designedCapacity),
      model: cleanField(battery.model),
      serial: cleanField(battery.serial),
    };
  },
});

type BatteryRecord = Pick<
  Systeminformation.BatteryData,
  | 'hasBattery'
  | 'percent'
  | 'isCharging'
  | 'acConnected'
  | 'cycleCount'
  | 'maxCapacity'
  | 'designedCapacity'
  | 'model'
  | 'serial'
>;

/** Linux: the kernel's power-supply class (sysfs-class-power), as systeminformation reads it. */
async function linuxBattery(ctx: ProbeContext): Promise<BatteryRecord> {
  const root = '/sys/class/power_supply';
  const supplies = (await ctx.files.list(root)) ?? [];
  const read = async (name: string, file: string) =>
    (await ctx.files.readText(`${root}/${name}/${file}`, 4096))?.trim();
  const types = await Promise.all(supplies.map((name) => read(name, 'type')));
  const mains = supplies.filter((_, i) => types[i] === 'Mains');
  const online = await Promise.all(mains.map((name) => read(name, 'online')));
  const battery = supplies.find((name, i) => types[i] === 'Battery' && !/hid|peripheral/i.test(name));
  const acOnline = online.includes('1');
  if (!battery)
    return {
      hasBattery: false,
      percent: 0,
      isCharging: false,
      acConnected: true,
      cycleCount: 0,
      maxCapacity: 0,
      designedCapacity: 0,
      model: '',
      serial: '',
    };
  const files = [
    'capacity',
    'status',
    'cycle_count',
    'energy_full',
    'energy_full_design',
    'charge_full',
    'charge_full_design',
    'model_name',
    'serial_number',
  ];
  const [capacity, status, cycles, energyFull, energyDesign, chargeFull, chargeDesign, model, serial] =
    await Promise.all(files.map((f) => read(battery, f)));
  const charging = status === 'Charging';
  return {
    hasBattery: true,
    percent: Number(capacity),
    isCharging: charging,
    acConnected: charging || acOnline || status === 'Full' || status === 'Not charging',
    cycleCount: Number(cycles),
    maxCapacity: Number(energyFull ?? chargeFull),
    designedCapacity: Number(energyDesign ?? chargeDesign),
    model: model ?? '',
    serial: serial ?? '',
  };
}
