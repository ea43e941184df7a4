import { describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';

/*
 * service.restart and package.install with the names the server resolved from IT's allow-list and signed
 * (serviceName, install): the agent runs exactly those, with argument arrays, on each OS (exact argv with
 * a fake runner: nothing is restarted or installed here), and refuses a signed name that is not a plain name.
 */

const argvOf = (runner: ReturnType<typeof fakeProcessRunner>) => runner.calls.map((c) => [c.command, ...c.args]);

describe('service.restart with the signed service name', () => {
  it('restarts the signed unit, label or service on each OS without asking the port', async () => {
    const asked: string[] = [];
    const ports = { serviceAllowList: (id: string) => (asked.push(id), 'wrong.service') };
    const linux = fakeProcessRunner({
      'systemctl restart -- cups.service': '',
      'systemctl is-active -- cups.service': 'active\n',
    });
    const params = { service: 'printing', serviceName: 'cups.service' };
    const result = await runAction('service.restart', params, { runner: linux, platform: 'linux', ports });
    expect(result).toMatchObject({ ok: true, fields: { id: 'printing', service: 'cups.service', state: 'active' } });
    expect(argvOf(linux)).toEqual([
      ['systemctl', 'restart', '--', 'cups.service'],
      ['systemctl', 'is-active', '--', 'cups.service'],
    ]);

    const win = fakeProcessRunner({ 'net stop Spooler': '', 'net start Spooler': '' });
    await runAction(
      'service.restart',
      { service: 'printing', serviceName: 'Spooler' },
      { runner: win, platform: 'win32' },
    );
    expect(argvOf(win)).toEqual([
      ['net', 'stop', 'Spooler'],
      ['net', 'start', 'Spooler'],
    ]);

    const mac = fakeProcessRunner({ 'launchctl kickstart -k system/org.cups.cupsd': '' });
    await runAction(
      'service.restart',
      { service: 'printing', serviceName: 'org.cups.cupsd' },
      { runner: mac, platform: 'darwin' },
    );
    expect(argvOf(mac)).toEqual([['launchctl', 'kickstart', '-k', 'system/org.cups.cupsd']]);
    expect(asked).toEqual([]);
  });

  it.each(['-f', '--now', 'cups;reboot', '$(id)', '`id`', 'a b', 'cups\nreboot', '../../bin/sh', ''])(
    'refuses the signed name %j before anything runs',
    async (serviceName) => {
      const runner = fakeProcessRunner();
      const result = await runAction(
        'service.restart',
        { service: 'printing', serviceName },
        { runner, platform: 'linux' },
      );
      expect(result.error).toMatchObject({ code: 'bad-params', message: expect.stringMatching(/^serviceName: /) });
      expect(runner.calls).toEqual([]);
    },
  );
});

describe('package.install with the signed targets', () => {
  it('tries apt, then dnf where apt-get is not installed (Linux)', async () => {
    const runner = fakeProcessRunner({ 'dnf install -y vlc': 'Complete!\n' });
    const install = [
      { manager: 'apt', id: 'vlc' },
      { manager: 'dnf', id: 'vlc' },
    ];
    const result = await runAction('package.install', { package: 'vlc', install }, { runner, platform: 'linux' });
    expect(result).toMatchObject({ ok: true, fields: { id: 'vlc', package: 'vlc', manager: 'dnf' } });
    expect(argvOf(runner)).toEqual([
      ['apt-get', 'install', '-y', 'vlc'],
      ['dnf', 'install', '-y', 'vlc'],
    ]);
  });

  it('stops at apt when it ran and failed (no second manager for a real failure)', async () => {
    const runner = fakeProcessRunner({
      'apt-get install -y vlc': { exitCode: 100, stderr: 'E: Unable to locate package' },
    });
    const install = [
      { manager: 'apt', id: 'vlc' },
      { manager: 'dnf', id: 'vlc' },
    ];
    const result = await runAction('package.install', { package: 'vlc', install }, { runner, platform: 'linux' });
    expect(result).toMatchObject({ ok: false, exitCode: 100, error: { code: 'exit-code' } });
    expect(runner.calls).toHaveLength(1);
  });

  it('installs a Homebrew cask with --cask and a winget id exactly', async () => {
    const mac = fakeProcessRunner({ 'brew install --cask google-chrome': '' });
    await runAction(
      'package.install',
      { package: 'chrome', install: [{ manager: 'brew-cask', id: 'google-chrome' }] },
      { runner: mac, platform: 'darwin' },
    );
    expect(argvOf(mac)).toEqual([['brew', 'install', '--cask', 'google-chrome']]);
    const win = fakeProcessRunner();
    await runAction(
      'package.install',
      { package: 'firefox', install: [{ manager: 'winget', id: 'Mozilla.Firefox' }] },
      { runner: win, platform: 'win32' },
    );
    expect(argvOf(win)).toEqual([
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
    ]);
  });

  it('runs nothing for targets of another OS or an id that could be an option', async () => {
    const runner = fakeProcessRunner();
    const other = await runAction(
      'package.install',
      { package: 'firefox', install: [{ manager: 'winget', id: 'Mozilla.Firefox' }] },
      { runner, platform: 'linux' },
    );
    expect(other.error?.code).toBe('unsupported');
    const option = await runAction(
      'package.install',
      { package: 'x', install: [{ manager: 'apt', id: '-oAPT::Update::Pre-Invoke::=id' }] },
      { runner, platform: 'linux' },
    );
    expect(option.error).toMatchObject({ code: 'bad-params', message: expect.stringMatching(/^install\.0\.id: /) });
    expect(runner.calls).toEqual([]);
  });
});
