import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { securitySection } from '../../../shared/snapshot/sections';
import { commandKey, fakeCommandRunner, type FakeCommandAnswer } from '../../../../test/fakes/command-runner.fake';
import { collectLive, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import {
  SECURE_BOOT_EFIVAR_PATH,
  SECURITY_COMMANDS as CMD,
  SECURITY_SCRIPTS as PS,
  UFW_CONF_PATH,
} from '../parsers/security.parser';
import type { CommandSpec } from '../parsers/parse-utils';
import { UnsupportedError } from '../probe';
import { securityProbe } from './security.probe';

const fixture = (path: string) => readFileSync(new URL(`../../../../test/fixtures/${path}`, import.meta.url), 'utf8');
const key = ([command, args]: CommandSpec) => commandKey(command, args);
const answers = (pairs: [CommandSpec, FakeCommandAnswer][]) => Object.fromEntries(pairs.map(([c, a]) => [key(c), a]));

const LUKS_ROOT = JSON.stringify({
  blockdevices: [
    {
      name: 'nvme0n1',
      type: 'disk',
      fstype: null,
      mountpoint: null,
      children: [
        { name: 'nvme0n1p1', type: 'part', fstype: 'vfat', mountpoint: '/boot/efi' },
        {
          name: 'nvme0n1p3',
          type: 'part',
          fstype: 'crypto_LUKS',
          mountpoint: null,
          children: [{ name: 'luks-3f1c', type: 'crypt', fstype: 'ext4', mountpoint: '/' }],
        },
      ],
    },
  ],
});
const PLAIN_ROOT =
  '{"blockdevices":[{"name":"sda","type":"disk","fstype":null,"mountpoint":null,"children":[{"name":"sda1","type":"part","fstype":"xfs","mountpoint":"/"}]}]}';
const UNIT_ACTIVE = 'LoadState=loaded\nActiveState=active\n\nLoadState=not-found\nActiveState=inactive\n';
const UNIT_ABSENT = 'LoadState=not-found\nActiveState=inactive\n\nLoadState=not-found\nActiveState=inactive\n';

describe('securityProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(securityProbe);
    expect(securitySection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(securityProbe.budgetMs);
  });

  describe('on Linux', () => {
    it('answers without root: ufw.conf, lsblk, the EFI variable and ClamAV', async () => {
      const ctx = fakeProbeContext({
        platform: 'linux',
        commands: answers([
          [CMD.ufwStatus, { exitCode: 1, stderr: 'ERROR: You need to be root to run this script\n' }],
          [CMD.nftRuleset, { exitCode: 1, stderr: 'Error: Could not process rule: Operation not permitted\n' }],
          [CMD.lsblk, LUKS_ROOT],
          [CMD.clamavUnits, UNIT_ACTIVE],
        ]),
        files: {
          [UFW_CONF_PATH]: '# /etc/ufw/ufw.conf\nENABLED=yes\nLOGLEVEL=low\n',
          [SECURE_BOOT_EFIVAR_PATH]: '\u0006\u0000\u0000\u0000\u0001',
        },
      });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: true, product: 'ufw' },
        diskEncryption: { enabled: true, method: 'LUKS' },
        antivirus: [{ name: 'ClamAV', enabled: true, upToDate: null }],
        secureBoot: true,
      });
    });

    it('reads firewalld and mokutil on a Fedora-like system', async () => {
      const ctx = fakeProbeContext({
        platform: 'linux',
        commands: answers([
          [CMD.firewalldState, 'running\n'],
          [CMD.lsblk, PLAIN_ROOT],
          [CMD.mokutil, 'SecureBoot disabled\n'],
          [CMD.clamavUnits, UNIT_ABSENT],
        ]),
      });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: true, product: 'firewalld' },
        diskEncryption: { enabled: false, method: null },
        antivirus: [],
        secureBoot: false,
      });
    });

    it('prefers any tool that filters over one that is off', async () => {
      const ctx = fakeProbeContext({
        platform: 'linux',
        commands: answers([
          [CMD.ufwStatus, 'Status: inactive\n'],
          [CMD.firewalldState, { exitCode: 252, stderr: 'not running\n' }],
          [
            CMD.nftRuleset,
            'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n',
          ],
        ]),
      });
      expect((await securityProbe.collect(ctx)).firewall).toEqual({ enabled: true, product: 'nftables' });

      const off = fakeProbeContext({
        platform: 'linux',
        commands: answers([
          [CMD.ufwStatus, 'Status: inactive\n'],
          [CMD.firewalldState, { exitCode: 252, stderr: 'not running\n' }],
        ]),
      });
      expect((await securityProbe.collect(off)).firewall).toEqual({ enabled: false, product: 'ufw' });
    });

    it('says "unknown" for every check when no tool is there', async () => {
      const ctx = fakeProbeContext({ platform: 'linux' });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: null, product: null },
        diskEncryption: { enabled: null, method: null },
        antivirus: [],
        secureBoot: null,
      });
    });

    it('survives ports that throw', async () => {
      const ctx = fakeProbeContext({
        platform: 'linux',
        run: { run: () => Promise.reject(new Error('spawn EAGAIN')) },
        files: {
          readText: () => Promise.reject(new Error('EIO')),
          readBytes: () => Promise.reject(new Error('EIO')),
          readTextSync: () => {
            throw new Error('EIO');
          },
          list: () => Promise.reject(new Error('EIO')),
          readLink: () => Promise.reject(new Error('EIO')),
          space: () => Promise.reject(new Error('EIO')),
        },
      });
      const section = await securityProbe.collect(ctx);
      expect(section).toEqual({
        firewall: { enabled: null, product: null },
        diskEncryption: { enabled: null, method: null },
        antivirus: [],
        secureBoot: null,
      });
    });

    it('passes the abort signal and a short timeout to every command, all at once', async () => {
      const run = fakeCommandRunner();
      const ctx = fakeProbeContext({ platform: 'linux', run });
      await securityProbe.collect(ctx);
      expect(run.calls.map((c) => c.command).sort()).toEqual([
        'firewall-cmd',
        'lsblk',
        'mokutil',
        'nft',
        'systemctl',
        'ufw',
      ]);
      for (const call of run.calls) {
        expect(call.options?.signal).toBe(ctx.signal);
        expect(call.options?.timeoutMs).toBeLessThanOrEqual(2000);
      }
    });
  });

  describe('on macOS', () => {
    const mac = (name: string) => fixture(`macos/security/${name}`);

    it('reads the application firewall, FileVault and XProtect', async () => {
      const ctx = fakeProbeContext({
        platform: 'darwin',
        commands: answers([
          [CMD.socketfilterfw, mac('socketfilterfw-enabled.txt')],
          [CMD.fdesetup, mac('fdesetup-on.txt')],
        ]),
        files: { '/Library/Apple/System/Library/CoreServices/XProtect.bundle/Contents/Info.plist': '<plist/>' },
      });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: true, product: 'macOS Application Firewall' },
        diskEncryption: { enabled: true, method: 'FileVault' },
        antivirus: [{ name: 'XProtect', enabled: true, upToDate: null }],
        secureBoot: null,
      });
    });

    it('reports off states and a missing XProtect', async () => {
      const ctx = fakeProbeContext({
        platform: 'darwin',
        commands: answers([
          [CMD.socketfilterfw, mac('socketfilterfw-disabled.txt')],
          [CMD.fdesetup, mac('fdesetup-off.txt')],
        ]),
      });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: false, product: 'macOS Application Firewall' },
        diskEncryption: { enabled: false, method: 'FileVault' },
        antivirus: [],
        secureBoot: null,
      });
    });
  });

  describe('on Windows', () => {
    const win = (name: string) => fixture(`windows/security/${name}`);

    it('reads firewall profiles, Security Center, Secure Boot and BitLocker', async () => {
      const ctx = fakeProbeContext({
        platform: 'win32',
        powershell: {
          [PS.firewallProfiles]: win('netfirewallprofile-all-on.json'),
          [PS.antivirusProducts]: win('antivirusproduct-third-party.json'),
          [PS.secureBootUefi]: win('confirm-securebootuefi-true.txt'),
        },
        commands: answers([[CMD.bitlocker, win('manage-bde-status-on.txt')]]),
      });
      const section = await securityProbe.collect(ctx);
      expect(section).toEqual({
        firewall: { enabled: true, product: 'Windows Defender Firewall' },
        diskEncryption: { enabled: true, method: 'BitLocker' },
        antivirus: [
          { name: 'Windows Defender', enabled: false, upToDate: true },
          { name: 'Sophos Anti-Virus', enabled: true, upToDate: false },
        ],
        secureBoot: true,
      });
      expect(securitySection.safeParse(section).success).toBe(true);
    });

    it('keeps what a standard user can see when admin-only checks fail', async () => {
      const ctx = fakeProbeContext({
        platform: 'win32',
        powershell: {
          [PS.firewallProfiles]: win('netfirewallprofile-public-off.json'),
          [PS.antivirusProducts]: win('antivirusproduct-defender.json'),
          // The shared session returns stdout only; the "Access was denied" record goes to stderr.
          [PS.secureBootUefi]: '',
        },
        commands: answers([[CMD.bitlocker, { exitCode: -2147024891, stdout: win('manage-bde-access-denied.txt') }]]),
      });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: false, product: 'Windows Defender Firewall' },
        diskEncryption: { enabled: null, method: null },
        antivirus: [{ name: 'Windows Defender', enabled: true, upToDate: true }],
        secureBoot: null,
      });
    });

    it('says "unknown" when PowerShell times out', async () => {
      const timeout = { error: 'timeout' };
      const ctx = fakeProbeContext({
        platform: 'win32',
        powershell: { [PS.firewallProfiles]: timeout, [PS.antivirusProducts]: timeout, [PS.secureBootUefi]: timeout },
      });
      expect(await securityProbe.collect(ctx)).toEqual({
        firewall: { enabled: null, product: null },
        diskEncryption: { enabled: null, method: null },
        antivirus: [],
        secureBoot: null,
      });
    });
  });

  it('is unsupported on other systems', async () => {
    await expect(securityProbe.collect(fakeProbeContext({ platform: 'other' }))).rejects.toBeInstanceOf(
      UnsupportedError,
    );
  });
});
