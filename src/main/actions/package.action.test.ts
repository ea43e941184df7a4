import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import { parseAptSummary } from './package.action';
import type { ActionPorts } from './types';

/* Package installs from IT's allow-list (exact argv recorded by a fake runner, nothing installed here) and the actions that run through ports. */

const argvOf = (runner: ReturnType<typeof fakeProcessRunner>) => runner.calls.map((c) => [c.command, ...c.args]);

describe('package.install', () => {
  const allow: ActionPorts = {
    packageAllowList: (id) =>
      (
        ({
          firefox: { manager: 'winget', id: 'Mozilla.Firefox' },
          chrome: { manager: 'brew', id: 'google-chrome' },
          vlc: { manager: 'apt', id: 'vlc' },
          gimp: { manager: 'dnf', id: 'gimp' },
          evil: { manager: 'apt', id: '-oAPT::Update::Pre-Invoke::=id' },
        }) as const
      )[id] ?? null,
  };

  it('builds winget, brew, apt-get and dnf argument arrays from the allow-list entry', async () => {
    const cases = [
      [
        'win32',
        'firefox',
        [
          'winget',
          'install',
          '--id',
          'Mozilla.Firefox',
          '--exact',
          '--silent',
          '--accept-package-agreements',
          '--accept-source-agreements',
        ],
      ],
      ['darwin', 'chrome', ['brew', 'install', 'google-chrome']],
      ['linux', 'vlc', ['apt-get', 'install', '-y', 'vlc']],
      ['linux', 'gimp', ['dnf', 'install', '-y', 'gimp']],
    ] as const;
    for (const [platform, id, argv] of cases) {
      const runner = fakeProcessRunner({ [argv.join(' ')]: '' });
      const result = await runAction('package.install', { package: id }, { runner, platform, ports: allow });
      expect(result.error, `${platform} ${id}`).toBeNull();
      expect(argvOf(runner)).toEqual([argv]);
    }
  });

  it('reports apt-get’s summary (fixture) and a failing exit code', async () => {
    const summary = readFileSync(
      new URL('../../../test/fixtures/linux/actions/apt-get-install.txt', import.meta.url),
      'utf8',
    );
    expect(parseAptSummary(summary)).toEqual({ upgraded: 0, installed: 2, removed: 0, notUpgraded: 12 });
    const runner = fakeProcessRunner({ 'apt-get install -y vlc': summary });
    const result = await runAction('package.install', { package: 'vlc' }, { runner, platform: 'linux', ports: allow });
    expect(result.fields).toMatchObject({ manager: 'apt', package: 'vlc', summary: { installed: 2 } });
    expect(runner.calls[0]?.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
    const failing = fakeProcessRunner({ 'apt-get install -y vlc': { exitCode: 100, stderr: 'E: Could not get lock' } });
    const failed = await runAction(
      'package.install',
      { package: 'vlc' },
      { runner: failing, platform: 'linux', ports: allow },
    );
    expect(failed).toMatchObject({ ok: false, exitCode: 100, error: { code: 'exit-code' } });
  });

  it('runs nothing for an id off the list, a manager of another OS, or a bad list entry', async () => {
    const runner = fakeProcessRunner();
    expect(
      (await runAction('package.install', { package: 'steam' }, { runner, platform: 'linux', ports: allow })).error
        ?.code,
    ).toBe('not-allowed');
    expect(
      (await runAction('package.install', { package: 'firefox' }, { runner, platform: 'linux', ports: allow })).error
        ?.code,
    ).toBe('unsupported');
    expect(
      (await runAction('package.install', { package: 'evil' }, { runner, platform: 'linux', ports: allow })).error
        ?.code,
    ).toBe('bad-allow-list');
    expect(runner.calls).toEqual([]);
  });
});

describe('net.speed-test and snapshot.refresh (ports)', () => {
  it('measures download and upload through the help-desk port', async () => {
    const moved: number[] = [];
    const ports: ActionPorts = {
      speedTest: {
        download: async (bytes) => (moved.push(bytes), { ok: true, value: { bytes, ms: 1000 } }),
        upload: async (bytes) => (moved.push(bytes), { ok: true, value: { bytes, ms: 2000 } }),
      },
    };
    const result = await runAction('net.speed-test', { megabytes: 5 }, { runner: fakeProcessRunner(), ports });
    expect(moved).toEqual([5 * 1024 * 1024, 5 * 1024 * 1024]);
    expect(result.fields).toEqual({ downloadMbps: 41.9, uploadMbps: 21, bytes: 5 * 1024 * 1024 });
  });

  it('collects the named sections through the collect port', async () => {
    const asked: unknown[] = [];
    const ports: ActionPorts = {
      collect: async (sections) => (asked.push(sections), { ok: true, value: { sections: [...(sections ?? [])] } }),
    };
    const result = await runAction(
      'snapshot.refresh',
      { sections: ['network', 'storage'] },
      { runner: fakeProcessRunner(), ports },
    );
    expect(asked).toEqual([['network', 'storage']]);
    expect(result.fields).toEqual({ requested: ['network', 'storage'], sections: ['network', 'storage'] });
    const refused = await runAction(
      'snapshot.refresh',
      { sections: ['network', 'network'] },
      { runner: fakeProcessRunner(), ports },
    );
    expect(refused.error?.code).toBe('bad-params');
    expect(asked).toHaveLength(1);
  });
});
