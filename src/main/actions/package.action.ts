import type { ActionParams } from '../../shared/actions/catalog';
import { packageIdParam } from '../../shared/actions/params';
import type { Argv } from './exec-utils';
import { failed, type ActionContext, type ActionImpls, type ImplOutcome, type PackageManager } from './types';

const MANAGERS: Record<'linux' | 'win32' | 'darwin', readonly PackageManager[]> = {
  win32: ['winget'],
  darwin: ['brew', 'brew-cask'],
  linux: ['apt', 'dnf'],
};

/**
 * The install (or update) per manager: `winget install --id X --exact --silent --accept-package-agreements`
 * (Microsoft Learn, winget install: upgrades an installed package), `brew install X` / `brew install --cask X`
 * (brew(1): installs, or upgrades an outdated one),
 * `apt-get install -y X` (apt-get(8): installs or upgrades), `dnf install -y X` (dnf(8)).
 */
export function packageArgv(manager: PackageManager, id: string): Argv {
  switch (manager) {
    case 'winget':
      return [
        'winget',
        ['install', '--id', id, '--exact', '--silent', '--accept-package-agreements', '--accept-source-agreements'],
      ];
    case 'brew':
      return ['brew', ['install', id]];
    case 'brew-cask':
      return ['brew', ['install', '--cask', id]];
    case 'apt':
      return ['apt-get', ['install', '-y', id]];
    case 'dnf':
      return ['dnf', ['install', '-y', id]];
  }
}

/** apt-get's summary line: `1 upgraded, 2 newly installed, 0 to remove and 5 not upgraded.` (apt-get(8) output). */
export function parseAptSummary(
  text: string,
): { upgraded: number; installed: number; removed: number; notUpgraded: number } | null {
  const m = /(\d+) upgraded, (\d+) newly installed, (\d+) to remove and (\d+) not upgraded\./.exec(text);
  return m
    ? { upgraded: Number(m[1]), installed: Number(m[2]), removed: Number(m[3]), notUpgraded: Number(m[4]) }
    : null;
}

/**
 * What to install: the targets the server resolved from IT's allow-list and signed (the usual path), else
 * the agent's own allow-list port; only this OS's managers, each id checked again.
 */
function targetsOf(
  platform: 'linux' | 'win32' | 'darwin',
  p: ActionParams<'package.install'>,
  ctx: ActionContext,
): { ok: true; targets: { manager: PackageManager; id: string }[] } | { ok: false; outcome: ImplOutcome } {
  const listed = p.install ?? [ctx.ports.packageAllowList?.(p.package)].filter((t) => t != null);
  if (listed.length === 0)
    return {
      ok: false,
      outcome: failed('not-allowed', `${JSON.stringify(p.package)} is not on IT's package allow-list`),
    };
  const targets = listed.filter((t) => MANAGERS[platform].includes(t.manager));
  if (targets.length === 0) {
    const managers = listed.map((t) => t.manager).join(', ');
    return {
      ok: false,
      outcome: failed(
        'unsupported',
        `The allow-list entry ${JSON.stringify(p.package)} uses ${managers}, not a package manager of this OS`,
      ),
    };
  }
  if (!targets.every((t) => packageIdParam.safeParse(t.id).success))
    return {
      ok: false,
      outcome: failed('bad-allow-list', `The allow-list entry ${JSON.stringify(p.package)} has an invalid package id`),
    };
  return { ok: true, targets };
}

function install(platform: 'linux' | 'win32' | 'darwin') {
  return async (p: ActionParams<'package.install'>, ctx: ActionContext): Promise<ImplOutcome> => {
    const chosen = targetsOf(platform, p, ctx);
    if (!chosen.ok) return chosen.outcome;
    // In order (apt, then dnf): a manager this computer does not have is skipped.
    let last: ImplOutcome | null = null;
    for (const entry of chosen.targets) {
      last = await installWith(entry, p.package, ctx);
      if (last.ok || last.error.code !== 'not_found') return last;
    }
    return last!;
  };
}

async function installWith(
  entry: { manager: PackageManager; id: string },
  ref: string,
  ctx: ActionContext,
): Promise<ImplOutcome> {
  const argv = packageArgv(entry.manager, entry.id);
  let printed = '';
  // apt-get would stop at a debconf question and wait until the timeout; dnf and the others do not ask with -y.
  const env = entry.manager === 'apt' ? { DEBIAN_FRONTEND: 'noninteractive' } : undefined;
  const result = await ctx.exec(argv[0], argv[1], { env, onChunk: (chunk) => (printed += chunk) });
  const fields = { id: ref, package: entry.id, manager: entry.manager };
  if (!result.ok) return failed(result.error.code, result.error.message, fields);
  const outcome = result.value;
  const all = { ...fields, ...(entry.manager === 'apt' ? { summary: parseAptSummary(printed) } : {}) };
  return outcome.exitCode === 0
    ? { ok: true, exitCode: 0, fields: all }
    : failed('exit-code', `${argv[0]} exited with ${outcome.exitCode ?? 'a signal'}`, all, outcome.exitCode);
}

/** package.install on each OS. */
export const packageInstallAction: ActionImpls<'package.install'> = {
  linux: install('linux'),
  darwin: install('darwin'),
  win32: install('win32'),
};
