import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

  it('a refusal by the OS is not_permitted; another failure is failed', async () => {
    const run = (answer: Parameters<typeof fakeCommandRunner>[0]) =>
      applyServicePlan(planInstall('win32', spec, { home: 'C:\\Users\\a' }), {
        runner: fakeCommandRunner(answer),
        dryRun: false,
        touchFiles: true,
        out: () => {},
      }).catch((error: unknown) => error);
    const create = planInstall('win32', spec, { home: '' }).after[0]!;
    const key = [create.command, ...create.args].join(' ');
    const denied = await run({ [key]: { exitCode: 5, stdout: '[SC] OpenSCManager FAILED 5:\n\nAccess is denied.' } });
    expect(denied).toBeInstanceOf(ServiceError);
    expect((denied as ServiceError).kind).toBe('not_permitted');
    const missing = await run({});
    expect((missing as ServiceError).kind).toBe('failed');
    expect((missing as ServiceError).message).toMatch(/sc.exe is not installed/);
  });
});
