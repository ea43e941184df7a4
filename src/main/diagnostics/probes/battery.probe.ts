import { defineProbe } from '../probe';
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
    const battery = await ctx.si.battery();
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
