import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import { createRenewDhcpAction } from './dhcp.action';
import { createSpoolerAction } from './printing.action';
import type { ActionPorts } from './types';

/*
 * Fixes that need admin rights or system services: their exact argument arrays, recorded by a fake
 * runner (nothing is run for real here), and what they report.
 */

const argvOf = (runner: ReturnType<typeof fakeProcessRunner>) => runner.calls.map((c) => [c.command, ...c.args]);

describe('dns.flush-cache', () => {
  it('runs ipconfig /flushdns on Windows', async () => {
    const runner = fakeProcessRunner({ 'ipconfig /flushdns': 'Successfully flushed the DNS Resolver Cache.\r\n' });
    const result = await runAction('dns.flush-cache', {}, { runner, platform: 'win32' });
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(argvOf(runner)).toEqual([['ipconfig', '/flushdns']]);
    expect(result.output).toContain('Successfully flushed');
  });

  it('runs dscacheutil then HUPs mDNSResponder on macOS', async () => {
    const runner = fakeProcessRunner({ 'dscacheutil -flushcache': '', 'killall -HUP mDNSResponder': '' });
    const result = await runAction('dns.flush-cache', {}, { runner, platform: 'darwin' });
    expect(result.ok).toBe(true);
    expect(argvOf(runner)).toEqual([
      ['dscacheutil', '-flushcache'],
      ['killall', '-HUP', 'mDNSResponder'],
    ]);
  });

  it('runs resolvectl flush-caches on Linux, and says unsupported without systemd-resolved', async () => {
    const runner = fakeProcessRunner({ 'resolvectl flush-caches': '' });
    expect((await runAction('dns.flush-cache', {}, { runner, platform: 'linux' })).ok).toBe(true);
    expect(argvOf(runner)).toEqual([['resolvectl', 'flush-caches']]);
    const none = await runAction('dns.flush-cache', {}, { runner: fakeProcessRunner(), platform: 'linux' });
    expect(none.error?.code).toBe('unsupported');
  });

  it('stops at the first step that fails and names its exit code', async () => {
    const runner = fakeProcessRunner({ 'dscacheutil -flushcache': { exitCode: 1, stderr: 'Operation not permitted' } });
    const result = await runAction('dns.flush-cache', {}, { runner, platform: 'darwin' });
    expect(result).toMatchObject({
      ok: false,
      exitCode: 1,
      error: { code: 'exit-code', message: 'dscacheutil exited with 1: Operation not permitted' },
    });
    expect(runner.calls).toHaveLength(1);
  });
});

describe('net.renew-dhcp', () => {
  const implementations = { 'net.renew-dhcp': createRenewDhcpAction(() => ['eth0', 'wlan0']) };

  it('releases and renews on Windows', async () => {
    const runner = fakeProcessRunner({ 'ipconfig /release': '', 'ipconfig /renew': '' });
    expect((await runAction('net.renew-dhcp', {}, { runner, platform: 'win32', implementations })).ok).toBe(true);
    expect(argvOf(runner)).toEqual([
      ['ipconfig', '/release'],
      ['ipconfig', '/renew'],
    ]);
  });

  it('sets each connected interface to DHCP on macOS', async () => {
    const runner = fakeProcessRunner({ 'ipconfig set eth0 DHCP': '', 'ipconfig set wlan0 DHCP': '' });
    await runAction('net.renew-dhcp', {}, { runner, platform: 'darwin', implementations });
    expect(argvOf(runner)).toEqual([
      ['ipconfig', 'set', 'eth0', 'DHCP'],
      ['ipconfig', 'set', 'wlan0', 'DHCP'],
    ]);
  });

  it('uses networkctl renew on Linux, else dhclient -r then dhclient', async () => {
    const networkd = fakeProcessRunner({ 'networkctl renew -- eth0': '', 'networkctl renew -- wlan0': '' });
    expect((await runAction('net.renew-dhcp', {}, { runner: networkd, platform: 'linux', implementations })).ok).toBe(
      true,
    );
    const dhclient = fakeProcessRunner({
      'dhclient -r eth0': '',
      'dhclient eth0': '',
      'dhclient -r wlan0': '',
      'dhclient wlan0': '',
    });
    const result = await runAction('net.renew-dhcp', {}, { runner: dhclient, platform: 'linux', implementations });
    expect(result.ok).toBe(true);
    expect(argvOf(dhclient)).toEqual([
      ['networkctl', 'renew', '--', 'eth0'],
      ['dhclient', '-r', 'eth0'],
      ['dhclient', 'eth0'],
      ['dhclient', '-r', 'wlan0'],
      ['dhclient', 'wlan0'],
    ]);
  });

  it('refuses an interface name that could be an option', async () => {
    const runner = fakeProcessRunner();
    const evil = { 'net.renew-dhcp': createRenewDhcpAction(() => ['-x']) };
    const result = await runAction('net.renew-dhcp', {}, { runner, platform: 'linux', implementations: evil });
    expect(result.error?.code).toBe('bad-params');
    expect(runner.calls).toEqual([]);
  });
});

describe('printing.restart-spooler', () => {
  it('stops the Windows spooler, deletes the stuck jobs, starts it again', async () => {
    const spool = await mkdtemp(join(tmpdir(), 'deskside-spool-'));
    await writeFile(join(spool, '00012.SHD'), 'x');
    await writeFile(join(spool, '00012.SPL'), 'y');
    await mkdir(join(spool, 'keep-dir'));
    try {
      const runner = fakeProcessRunner({
        'net stop spooler': 'The Print Spooler service was stopped successfully.\r\n',
        'net start spooler': '',
      });
      const result = await runAction(
        'printing.restart-spooler',
        {},
        {
          runner,
          platform: 'win32',
          implementations: { 'printing.restart-spooler': createSpoolerAction(spool) },
        },
      );
      expect(result.error).toBeNull();
      expect(result.fields).toMatchObject({ clearJobs: true, jobsDeleted: 2 });
      expect(argvOf(runner)).toEqual([
        ['net', 'stop', 'spooler'],
        ['net', 'start', 'spooler'],
      ]);
      expect(await readdir(spool)).toEqual(['keep-dir']);
    } finally {
      await rm(spool, { recursive: true, force: true });
    }
  });

  it('starts a Windows spooler that had stopped (net stop: NET HELPMSG 3521, exit 2), but not after another error', async () => {
    // net stop's answer for a service that is not running (Microsoft Learn, "Net stop"; net helpmsg 3521).
    const notStarted = {
      exitCode: 2,
      stdout: 'The Print Spooler service is not started.\r\n\r\nMore help is available by typing NET HELPMSG 3521.\r\n',
    };
    const implementations = {
      'printing.restart-spooler': createSpoolerAction(join(tmpdir(), 'deskside-no-such-spool')),
    };
    const runner = fakeProcessRunner({ 'net stop spooler': notStarted, 'net start spooler': '' });
    const result = await runAction('printing.restart-spooler', {}, { runner, platform: 'win32', implementations });
    expect(result.error).toBeNull();
    expect(argvOf(runner)).toEqual([
      ['net', 'stop', 'spooler'],
      ['net', 'start', 'spooler'],
    ]);
    const denied = fakeProcessRunner({
      'net stop spooler': { exitCode: 2, stderr: 'System error 5 has occurred.\r\n\r\nAccess is denied.\r\n' },
    });
    const refused = await runAction(
      'printing.restart-spooler',
      {},
      { runner: denied, platform: 'win32', implementations },
    );
    expect(refused).toMatchObject({ ok: false, exitCode: 2, error: { code: 'exit-code' } });
    expect(denied.calls).toHaveLength(1);
  });

  it('cancels every CUPS job then restarts the scheduler (macOS, Linux); keeps jobs when told', async () => {
    const mac = fakeProcessRunner({ 'cancel -a': '', 'launchctl kickstart -k system/org.cups.cupsd': '' });
    expect((await runAction('printing.restart-spooler', {}, { runner: mac, platform: 'darwin' })).ok).toBe(true);
    expect(argvOf(mac)).toEqual([
      ['cancel', '-a'],
      ['launchctl', 'kickstart', '-k', 'system/org.cups.cupsd'],
    ]);
    const linux = fakeProcessRunner({ 'systemctl restart -- cups.service': '' });
    const result = await runAction(
      'printing.restart-spooler',
      { clearJobs: false },
      { runner: linux, platform: 'linux' },
    );
    expect(result.ok).toBe(true);
    expect(argvOf(linux)).toEqual([['systemctl', 'restart', '--', 'cups.service']]);
  });
});

describe('service.restart', () => {
  const allow: ActionPorts = {
    serviceAllowList: (id) => ({ printing: 'cups.service', vpn: 'com.example.vpnagent', evil: '--force' })[id] ?? null,
  };

  it('resolves the allow-list id to the real name and restarts it (Linux, with its state)', async () => {
    const runner = fakeProcessRunner({
      'systemctl restart -- cups.service': '',
      'systemctl is-active -- cups.service': 'active\n',
    });
    const result = await runAction(
      'service.restart',
      { service: 'printing' },
      { runner, platform: 'linux', ports: allow },
    );
    expect(result.fields).toMatchObject({ id: 'printing', service: 'cups.service', state: 'active' });
    expect(argvOf(runner)).toEqual([
      ['systemctl', 'restart', '--', 'cups.service'],
      ['systemctl', 'is-active', '--', 'cups.service'],
    ]);
  });

  it('uses launchctl kickstart on macOS and net stop/start on Windows', async () => {
    const mac = fakeProcessRunner({ 'launchctl kickstart -k system/com.example.vpnagent': '' });
    expect(
      (await runAction('service.restart', { service: 'vpn' }, { runner: mac, platform: 'darwin', ports: allow })).ok,
    ).toBe(true);
    const win = fakeProcessRunner({ 'net stop cups.service': '', 'net start cups.service': '' });
    await runAction('service.restart', { service: 'printing' }, { runner: win, platform: 'win32', ports: allow });
    expect(argvOf(win)).toEqual([
      ['net', 'stop', 'cups.service'],
      ['net', 'start', 'cups.service'],
    ]);
  });

  it('restarts a stopped Windows service (net stop answers HELPMSG 3521)', async () => {
    const runner = fakeProcessRunner({
      'net stop cups.service': {
        exitCode: 2,
        stdout:
          'The cups.service service is not started.\r\n\r\nMore help is available by typing NET HELPMSG 3521.\r\n',
      },
      'net start cups.service': '',
    });
    const result = await runAction(
      'service.restart',
      { service: 'printing' },
      { runner, platform: 'win32', ports: allow },
    );
    expect(result.ok).toBe(true);
    expect(runner.calls).toHaveLength(2);
  });

  it('never uses the parameter raw: an id off the list, or a bad list entry, runs nothing', async () => {
    const runner = fakeProcessRunner();
    const off = await runAction('service.restart', { service: 'sshd' }, { runner, platform: 'linux', ports: allow });
    expect(off.error?.code).toBe('not-allowed');
    const bad = await runAction('service.restart', { service: 'evil' }, { runner, platform: 'linux', ports: allow });
    expect(bad.error?.code).toBe('bad-allow-list');
    const noList = await runAction('service.restart', { service: 'printing' }, { runner, platform: 'linux' });
    expect(noList.error?.code).toBe('not-allowed');
    expect(runner.calls).toEqual([]);
  });
});
