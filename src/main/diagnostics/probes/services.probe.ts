import type { Sections, ServiceInfo } from '../../../shared/snapshot';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { LAUNCHCTL_COMMAND, parseLaunchctlList } from '../parsers/launchctl.parser';
import { parseSystemctlUnits, SYSTEMCTL_ENABLED_COMMAND, SYSTEMCTL_UNITS_COMMAND } from '../parsers/systemctl.parser';

type Services = Sections['services'];
const NONE: Services = { manager: 'none', failed: [], stoppedAutomatic: [] };

/** Failed services, and services set to start automatically that are not running. */
export const servicesProbe = defineProbe({
  section: 'services',
  budgetMs: 3000,
  async collect(ctx) {
    switch (ctx.platform) {
      case 'linux':
        return systemd(ctx);
      case 'darwin':
        return launchd(ctx);
      case 'win32':
        return windows(ctx);
      default:
        return NONE;
    }
  },
});

async function systemd(ctx: ProbeContext): Promise<Services> {
  const options = { signal: ctx.signal, timeoutMs: 2500 };
  const units = await ctx.run.run(SYSTEMCTL_UNITS_COMMAND[0], SYSTEMCTL_UNITS_COMMAND[1], options);
  // Containers and WSL without systemd as PID 1: there is no service manager to ask, and
  // list-unit-files would then crawl the unit folders on disk for most of a second.
  if (!units.ok || units.value.exitCode !== 0) return NONE;
  const enabled = await ctx.run.run(SYSTEMCTL_ENABLED_COMMAND[0], SYSTEMCTL_ENABLED_COMMAND[1], options);
  const enabledText = enabled.ok ? enabled.value.stdout : '';
  return { manager: 'systemd', ...parseSystemctlUnits(units.value.stdout, enabledText) };
}

async function launchd(ctx: ProbeContext): Promise<Services> {
  const result = await ctx.run.run(LAUNCHCTL_COMMAND[0], LAUNCHCTL_COMMAND[1], { signal: ctx.signal, timeoutMs: 2500 });
  if (!result.ok) throw new Error(result.error.message);
  return { manager: 'launchd', failed: parseLaunchctlList(result.value.stdout).slice(0, 100), stoppedAutomatic: [] };
}

async function windows(ctx: ProbeContext): Promise<Services> {
  const services = await ctx.si.services('*');
  const stopped: ServiceInfo[] = services
    .filter((s) => s.startmode?.toLowerCase().startsWith('auto') && !s.running)
    .slice(0, 100)
    .map((s) => ({ name: s.name.slice(0, 256), state: 'stopped', description: null }));
  // Windows has no "failed" state; a stopped automatic service is the equivalent signal.
  return { manager: 'windows', failed: [], stoppedAutomatic: stopped };
}
