import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCommandRunner } from '../../../test/fakes/command-runner.fake';
import { applyServicePlan, ServiceError } from './service-install';
import { planInstall, planUninstall, type ServiceSpec } from './service-units';

const spec: ServiceSpec = {
  nodePath: '/usr/bin/node',
  bundlePath: '/opt/deskside/bin/deskside.js',
  dataDir: '/var/lib/deskside-agent',
  enrollSecret: 'a-secret-of-enough-length',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-service-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('applyServicePlan', () => {
  it('writes the secret to a 0600 managed-config file and the unit (0644), then runs the commands as argument arrays, in order', async () => {
    const runner = fakeCommandRunner({
      'systemctl daemon-reload': '',
      'systemctl enable --now deskside-agent.service': '',
    });
    const out: string[] = [];
    await applyServicePlan(planInstall('linux', { ...spec, dataDir: dir }, { home: '/root', unitDir: dir }), {
      runner,
      dryRun: false,
      touchFiles: true,
      out: (t) => void out.push(t),
    });
    const unit = join(dir, 'deskside-agent.service');
    expect(await readFile(unit, 'utf8')).toContain('ExecStart=/usr/bin/node --max-semi-space-size=1');
    expect((await stat(unit)).mode & 0o777).toBe(0o644);
    expect(await readFile(unit, 'utf8')).not.toContain(spec.enrollSecret);
    const config = join(dir, 'managed-config.json');
    expect(JSON.parse(await readFile(config, 'utf8'))).toEqual({ enrollSecret: spec.enrollSecret });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'deskside-agent.service'],
    ]);
  });

  it('a dry run prints the file and the commands and runs nothing', async () => {
    const runner = fakeCommandRunner();
    const out: string[] = [];
    await applyServicePlan(planInstall('linux', { ...spec, dataDir: dir }, { home: '/root', unitDir: dir }), {
      runner,
      dryRun: true,
      touchFiles: false,
      out: (t) => void out.push(t),
    });
    const text = out.join('');
    expect(text).toContain(`would write ${join(dir, 'deskside-agent.service')} (mode 644):\n# Written by`);
    expect(text).toContain(`would write ${join(dir, 'managed-config.json')} (mode 600), contents not shown`);
    expect(text).not.toContain(spec.enrollSecret);
    expect(text).toContain('would run: systemctl enable --now deskside-agent.service');
    expect(runner.calls).toEqual([]);
    await expect(stat(join(dir, 'deskside-agent.service'))).rejects.toThrow(/ENOENT/);
  });

  it('uninstall: a failing disable is ignored, the unit removed, then daemon-reload', async () => {
    const unit = join(dir, 'deskside-agent.service');
    await writeFile(unit, 'x');
    const runner = fakeCommandRunner({
      'systemctl disable --now deskside-agent.service': { exitCode: 1, stderr: 'Unit not loaded' },
      'systemctl daemon-reload': '',
    });
    await applyServicePlan(planUninstall('linux', { home: '/root', unitDir: dir }), {
      runner,
      dryRun: false,
      touchFiles: true,
      out: () => {},
    });
    await expect(stat(unit)).rejects.toThrow(/ENOENT/);
    expect(runner.calls.map((c) => c.args.join(' '))).toEqual([
      'disable --now deskside-agent.service',
      'daemon-reload',
    ]);
  });

  describe('Windows (WinSW), run against a scratch folder with a fake wrapper', () => {
    let wrapperPath: string;
    let serviceDir: string;
    beforeEach(async () => {
      wrapperPath = join(dir, 'winsw', 'winsw.exe');
      serviceDir = join(dir, 'service');
      await mkdir(join(dir, 'winsw'));
      await writeFile(wrapperPath, 'MZ fake wrapper');
      await writeFile(`${wrapperPath}.config`, '<configuration/>');
    });
    const install = () =>
      planInstall('win32', { ...spec, dataDir: join(dir, 'data') }, { home: '', unitDir: serviceDir, wrapperPath });
    const exe = () => join(serviceDir, 'deskside-agent.exe');
    const lockDown = () => [
      'icacls.exe',
      serviceDir,
      '/inheritance:r',
      '/grant:r',
      '*S-1-5-32-544:(OI)(CI)F',
      '*S-1-5-18:(OI)(CI)F',
    ];
    /** An administrator's machine: `net session` and icacls succeed. */
    const admin = () => ({ 'net.exe session': '', [lockDown().join(' ')]: '' });

    it('install: stops and removes an earlier service (ignored when none), writes the XML, copies the wrapper, then install and start', async () => {
      const runner = fakeCommandRunner({
        ...admin(),
        'net.exe stop DesksideAgent': { exitCode: 2, stderr: 'The Deskside Agent service is not started.' },
        [`${exe()} install`]: '',
        [`${exe()} start`]: '',
      });
      const out: string[] = [];
      await applyServicePlan(install(), { runner, dryRun: false, touchFiles: true, out: (t) => void out.push(t) });
      expect(await readFile(exe(), 'utf8')).toBe('MZ fake wrapper');
      expect(await readFile(join(serviceDir, 'deskside-agent.exe.config'), 'utf8')).toBe('<configuration/>');
      const xml = await readFile(join(serviceDir, 'deskside-agent.xml'), 'utf8');
      expect(xml).toContain('<id>DesksideAgent</id>');
      expect(xml).not.toContain(spec.enrollSecret);
      expect(JSON.parse(await readFile(join(dir, 'data', 'managed-config.json'), 'utf8'))).toEqual({
        enrollSecret: spec.enrollSecret,
      });
      expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
        ['net.exe', 'session'],
        ['net.exe', 'stop', 'DesksideAgent'],
        // Not there yet on a first install: the fake answers not_found, which is ignored.
        [exe(), 'uninstall'],
        // The folder is locked down before the wrapper is put in it.
        lockDown(),
        [exe(), 'install'],
        [exe(), 'start'],
      ]);
      const text = out.join('');
      expect(text.indexOf('running: icacls.exe')).toBeLessThan(
        text.indexOf(`wrote ${join(serviceDir, 'deskside-agent.xml')}`),
      );
      expect(text).toContain(`copied ${wrapperPath} to ${exe()}\n`);
      // Files before the wrapper's install, which reads them.
      expect(text.indexOf(`copied ${wrapperPath}`)).toBeLessThan(text.indexOf(`running: ${exe()} install`));
    });

    it('a dry run names the copies and copies nothing', async () => {
      const runner = fakeCommandRunner();
      const out: string[] = [];
      await applyServicePlan(install(), { runner, dryRun: true, touchFiles: false, out: (t) => void out.push(t) });
      expect(out.join('')).toContain(`would copy ${wrapperPath} to ${exe()}\n`);
      expect(out.join('')).toContain(`would run: ${exe()} install`);
      expect(runner.calls).toEqual([]);
      await expect(stat(serviceDir)).rejects.toThrow(/ENOENT/);
    });

    it('a missing wrapper is an error naming its path, before anything is run or written', async () => {
      await rm(`${wrapperPath}.config`);
      const runner = fakeCommandRunner();
      const error = await applyServicePlan(install(), {
        runner,
        dryRun: false,
        touchFiles: true,
        out: () => {},
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).kind).toBe('failed');
      expect((error as ServiceError).message).toContain(`${wrapperPath}.config is missing, nothing was changed`);
      expect(runner.calls).toEqual([]);
      await expect(stat(serviceDir)).rejects.toThrow(/ENOENT/);
      await expect(stat(join(dir, 'data'))).rejects.toThrow(/ENOENT/);
    });

    it('uninstall: stop, uninstall, then the three files are removed (the logs folder stays)', async () => {
      await applyServicePlan(install(), {
        runner: fakeCommandRunner({ ...admin(), [`${exe()} install`]: '', [`${exe()} start`]: '' }),
        dryRun: false,
        touchFiles: true,
        out: () => {},
      });
      await mkdir(join(serviceDir, 'logs'));
      const runner = fakeCommandRunner({
        'net.exe stop DesksideAgent': 'The Deskside Agent service was stopped successfully.',
        [`${exe()} uninstall`]: '',
      });
      await applyServicePlan(planUninstall('win32', { home: '', unitDir: serviceDir }), {
        runner,
        dryRun: false,
        touchFiles: true,
        out: () => {},
      });
      expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
        ['net.exe', 'stop', 'DesksideAgent'],
        [exe(), 'uninstall'],
      ]);
      expect(await readdir(serviceDir)).toEqual(['logs']);
    });

    it('a standard user is refused at `net session`, before any folder or file is made', async () => {
      const runner = fakeCommandRunner({
        'net.exe session': { exitCode: 2, stderr: 'System error 5 has occurred.\r\n\r\nAccess is denied.' },
      });
      const error = await applyServicePlan(install(), { runner, dryRun: false, touchFiles: true, out: () => {} }).catch(
        (e: unknown) => e,
      );
      expect((error as ServiceError).kind).toBe('not_permitted');
      expect(runner.calls.map((c) => c.key)).toEqual(['net.exe session']);
      await expect(stat(serviceDir)).rejects.toThrow(/ENOENT/);
      await expect(stat(join(dir, 'data'))).rejects.toThrow(/ENOENT/);
    });

    it("a refusal by the OS (WinSW's AccessDenied) is not_permitted; another failure is failed, and the files stay", async () => {
      const run = (answer: Parameters<typeof fakeCommandRunner>[0]) =>
        applyServicePlan(install(), {
          runner: fakeCommandRunner({ ...admin(), ...answer }),
          dryRun: false,
          touchFiles: true,
          out: () => {},
        }).catch((error: unknown) => error);
      const denied = await run({ [`${exe()} install`]: { exitCode: 2, stderr: 'winsw.WmiException: AccessDenied' } });
      expect(denied).toBeInstanceOf(ServiceError);
      expect((denied as ServiceError).kind).toBe('not_permitted');
      const inWords = await run({
        [`${exe()} install`]: { exitCode: -1, stderr: 'System.UnauthorizedAccessException: Access is denied.' },
      });
      expect((inWords as ServiceError).kind).toBe('not_permitted');
      const exists = await run({
        [`${exe()} install`]: {
          exitCode: -1,
          stderr: "Installation failure: Service with id 'DesksideAgent' already exists",
        },
      });
      expect((exists as ServiceError).kind).toBe('failed');
      expect((exists as ServiceError).message).toMatch(/deskside-agent\.exe install failed: Installation failure/);
    });

    it('uninstall stops at a failing wrapper uninstall and removes nothing', async () => {
      await mkdir(serviceDir);
      await writeFile(exe(), 'x');
      const error = await applyServicePlan(planUninstall('win32', { home: '', unitDir: serviceDir }), {
        runner: fakeCommandRunner({
          [`${exe()} uninstall`]: { exitCode: 2, stderr: 'winsw.WmiException: AccessDenied' },
        }),
        dryRun: false,
        touchFiles: true,
        out: () => {},
      }).catch((e: unknown) => e);
      expect((error as ServiceError).kind).toBe('not_permitted');
      expect(await readdir(serviceDir)).toEqual(['deskside-agent.exe']);
    });
  });
});
