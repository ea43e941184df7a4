import type { Systeminformation } from 'systeminformation';
import { truncate } from '../parsers/parse-utils';
import { defineProbe } from '../probe';
import { linuxGraphics } from './linux-graphics';
import { cleanField, countOrNull, finiteOrNull } from './probe-utils';

/** The schema caps both lists; a machine with more is an oddity, not a reason to fail. */
const MAX_ITEMS = 16;

/** "1920x1080" from a width and height, or null when either is unknown. */
export function resolutionOf(width: number | null | undefined, height: number | null | undefined): string | null {
  const w = finiteOrNull(width, { min: 1 });
  const h = finiteOrNull(height, { min: 1 });
  return w && h ? `${Math.round(w)}x${Math.round(h)}` : null;
}

function graphicsController(c: Systeminformation.GraphicsControllerData) {
  const vendor = cleanField(c.vendor);
  return {
    vendor,
    // The model is required; fall back through the other names systeminformation may fill in.
    model:
      cleanField(c.model) ?? cleanField(c.name) ?? truncate(vendor ? `${vendor} graphics` : 'Unknown graphics', 256),
    vramMB: countOrNull(c.vram),
    driverVersion: cleanField(c.driverVersion),
  };
}

function display(d: Systeminformation.GraphicsDisplayData) {
  return {
    model: cleanField(d.model) ?? cleanField(d.deviceName),
    main: d.main === true,
    // The current mode is what the employee sees; the native one is the fallback.
    resolution: resolutionOf(d.currentResX, d.currentResY) ?? resolutionOf(d.resolutionX, d.resolutionY),
    refreshHz: finiteOrNull(d.currentRefreshRate, { min: 1 }),
    connection: cleanField(d.connection, 64),
  };
}

/** Graphics adapters and connected displays with their current resolution. */
export const displaysProbe = defineProbe({
  section: 'displays',
  budgetMs: 3000,
  async collect(ctx) {
    const { controllers = [], displays = [] } =
      ctx.platform === 'linux' ? await linuxGraphics(ctx) : await ctx.si.graphics();
    return {
      graphics: controllers.slice(0, MAX_ITEMS).map(graphicsController),
      displays: displays.slice(0, MAX_ITEMS).map(display),
    };
  },
});
