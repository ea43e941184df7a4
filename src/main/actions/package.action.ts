import type { ActionParams } from '../../shared/actions/catalog';
import type { Argv } from './exec-utils';
import { failed, type ActionContext, type ActionImpls, type ImplOutcome, type PackageManager } from './types';

// Package ids as the managers spell them: `Mozilla.Firefox` (winget), `google-chrome` (brew), `libreoffice-writer`,
// `g++` (apt, dnf). Never an option, never a path.
const PACKAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const MANAGERS: Record<'linux' | 'win32' | 'darwin', readonly PackageManager[]> = {
  win32: ['winget'],
  darwin: ['brew'],
  linux: ['apt', 'dnf'],
};

/**
 * The install (or update) per manager: `winget install --id X --exact --silent --accept-package-agreements`
 * (Microsoft Learn, winget install), `brew install X` (brew(1): installs, or upgrades an outdated one),
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

function install(platform: 'linux' | 'win32' | 'darwin') {
  return async (p: ActionParams<'package.install'>, ctx: ActionContext): Promise<ImplOutcome> => {
    const entry = ctx.ports.packageAllowList?.(p.package) ?? null;
    if (entry === null) return failed('not-allowed', `${JSON.stringify(p.package)} is not on IT's package allow-list`);
    if (!MANAGERS[platform].includes(entry.manager)) {
      return failed(
        'unsupported',
        `The allow-list entry ${JSON.stringify(p.package)} uses ${entry.manager}, not a package manager of this OS`,
      );
    }
    if (!PACKAGE_ID.test(entry.id))
      return failed('bad-allow-list', `The allow-list entry ${JSON.stringify(p.package)} has an invalid package id`);
    const argv = packageArgv(entry.manager, entry.id);
    let printed = '';
    // apt-get would stop at a debconf question and wait until the timeout; dnf and the others do not ask with -y.
    const env = entry.manager === 'apt' ? { DEBIAN_FRONTEND: 'noninteractive' } : undefined;
    const result = await ctx.exec(argv[0], argv[1], { env, onChunk: (chunk) => (printed += chunk) });
    if (!result.ok)
      return failed(result.error.code, result.error.message, {
        id: p.package,
        package: entry.id,
        manager: entry.manager,
      });
    const outcome = result.value;
    const fields = {
      id: p.package,
      package: entry.id,
      manager: entry.manager,
      ...(entry.manager === 'apt' ? { summary: parseAptSummary(printed) } : {}),
    };
    return outcome.exitCode === 0
      ? { ok: true, exitCode: 0, fields }
      : failed('exit-code', `${argv[0]} exited with ${outcome.exitCode ?? 'a signal'}`, fields, outcome.exitCode);
  };
}

/** package.install on each OS. */
export const packageInstallAction: ActionImpls<'package.install'> = {
  linux: install('linux'),
  darwin: install('darwin'),
  win32: install('win32'),
};
