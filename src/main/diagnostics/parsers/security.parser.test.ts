import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeProductState,
  parseAntivirusProducts,
  parseClamavUnits,
  parseConfirmSecureBoot,
  parseFdesetupStatus,
  parseFirewalldState,
  parseLsblkRootEncryption,
  parseManageBdeStatus,
  parseMokutilSbState,
  parseNetFirewallProfiles,
  parseNftRuleset,
  parseSecureBootEfivar,
  parseSocketfilterfwState,
  parseUfwConf,
  parseUfwStatus,
} from './security.parser';

const fixture = (path: string) => readFileSync(new URL(`../../../../test/fixtures/${path}`, import.meta.url), 'utf8');
const win = (name: string) => fixture(`windows/security/${name}`);
const mac = (name: string) => fixture(`macos/security/${name}`);

describe('Windows', () => {
  it('reads firewall profiles serialized as 1/0 and as true/false', () => {
    expect(parseNetFirewallProfiles(win('netfirewallprofile-all-on.json'))).toBe(true);
    expect(parseNetFirewallProfiles(win('netfirewallprofile-public-off.json'))).toBe(false);
    expect(parseNetFirewallProfiles('{"Name":"Public","Enabled":"True"}')).toBe(true);
  });

  it('gives null for firewall output it cannot read', () => {
    expect(parseNetFirewallProfiles('')).toBeNull();
    expect(parseNetFirewallProfiles('Get-NetFirewallProfile : Access denied')).toBeNull();
    // 2 is GpoBoolean.NotConfigured: says nothing about the effective state.
    expect(parseNetFirewallProfiles('[{"Name":"Domain","Enabled":2}]')).toBeNull();
  });

  it('decodes productState with the community decoding', () => {
    expect(decodeProductState(397568)).toEqual({ enabled: true, upToDate: true }); // 0x061100
    expect(decodeProductState(393472)).toEqual({ enabled: false, upToDate: true }); // 0x060100
    expect(decodeProductState(397584)).toEqual({ enabled: true, upToDate: false }); // 0x061110
    expect(decodeProductState(266256)).toEqual({ enabled: true, upToDate: false }); // 0x041010
    expect(decodeProductState(401664)).toEqual({ enabled: false, upToDate: true }); // 0x062100 snoozed
  });

  it('lists antivirus products from a single object or an array', () => {
    expect(parseAntivirusProducts(win('antivirusproduct-defender.json'))).toEqual([
      { name: 'Windows Defender', enabled: true, upToDate: true },
    ]);
    expect(parseAntivirusProducts(win('antivirusproduct-third-party.json'))).toEqual([
      { name: 'Windows Defender', enabled: false, upToDate: true },
      { name: 'Sophos Anti-Virus', enabled: true, upToDate: false },
    ]);
    expect(parseAntivirusProducts('')).toEqual([]);
    expect(parseAntivirusProducts('{"displayName":"Odd AV"}')).toEqual([
      { name: 'Odd AV', enabled: null, upToDate: null },
    ]);
  });

  it('reads Confirm-SecureBootUEFI', () => {
    expect(parseConfirmSecureBoot(win('confirm-securebootuefi-true.txt'))).toBe(true);
    expect(parseConfirmSecureBoot(win('confirm-securebootuefi-false.txt'))).toBe(false);
    expect(parseConfirmSecureBoot(win('confirm-securebootuefi-legacy-bios.txt'))).toBe(false);
    expect(parseConfirmSecureBoot(win('confirm-securebootuefi-access-denied.txt'))).toBeNull();
    expect(parseConfirmSecureBoot('')).toBeNull();
  });

  it('reads manage-bde -status', () => {
    expect(parseManageBdeStatus(win('manage-bde-status-on.txt'))).toEqual({ enabled: true, method: 'BitLocker' });
    expect(parseManageBdeStatus(win('manage-bde-status-off.txt'))).toEqual({ enabled: false, method: 'BitLocker' });
    expect(parseManageBdeStatus(win('manage-bde-access-denied.txt'))).toBeNull();
    expect(parseManageBdeStatus('    Protection Status:    Protection Off (1 reboots left)')).toEqual({
      enabled: false,
      method: 'BitLocker',
    });
  });
});

describe('macOS', () => {
  it('reads the application firewall state', () => {
    expect(parseSocketfilterfwState(mac('socketfilterfw-enabled.txt'))).toBe(true);
    expect(parseSocketfilterfwState(mac('socketfilterfw-disabled.txt'))).toBe(false);
    expect(parseSocketfilterfwState('Firewall is blocking all non-essential incoming connections. (State = 2)')).toBe(
      true,
    );
    expect(parseSocketfilterfwState('')).toBeNull();
  });

  it('reads FileVault status', () => {
    expect(parseFdesetupStatus(mac('fdesetup-on.txt'))).toBe(true);
    expect(parseFdesetupStatus(mac('fdesetup-off.txt'))).toBe(false);
    expect(parseFdesetupStatus(mac('fdesetup-encrypting.txt'))).toBe(true);
    expect(parseFdesetupStatus('FileVault is Off, but will be enabled after the next restart.')).toBe(false);
    expect(parseFdesetupStatus('Error: unexpected')).toBeNull();
  });
});

describe('Linux', () => {
  it('reads ufw status and ufw.conf', () => {
    expect(
      parseUfwStatus(
        'Status: active\n\nTo                         Action      From\n--                         ------      ----\n22/tcp                     ALLOW       Anywhere\n',
      ),
    ).toBe(true);
    expect(parseUfwStatus('Status: inactive\n')).toBe(false);
    expect(parseUfwStatus('ERROR: You need to be root to run this script\n')).toBeNull();
    expect(
      parseUfwConf('# /etc/ufw/ufw.conf\n#\n\n# Set to yes to start on boot.\nENABLED=yes\n\nLOGLEVEL=low\n'),
    ).toBe(true);
    expect(parseUfwConf('ENABLED=no\n')).toBe(false);
    expect(parseUfwConf('LOGLEVEL=low\n')).toBeNull();
  });

  it('reads firewall-cmd --state from stdout or stderr', () => {
    expect(parseFirewalldState('running\n')).toBe(true);
    expect(parseFirewalldState('\nnot running\n')).toBe(false);
    expect(parseFirewalldState('Authorization failed.\n')).toBeNull();
  });

  it('counts only input chains that can refuse traffic', () => {
    const filtering = [
      'table inet filter {',
      '\tchain input {',
      '\t\ttype filter hook input priority filter; policy accept;',
      '\t\tct state established,related accept',
      '\t\ttcp dport { 22, 80 } accept',
      '\t\tcounter drop',
      '\t}',
      '}',
    ].join('\n');
    const dropPolicy =
      'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n';
    // What iptables-nft leaves behind for container engines: an empty accept-all input chain.
    const docker = [
      'table ip filter {',
      '\tchain INPUT {',
      '\t\ttype filter hook input priority filter; policy accept;',
      '\t}',
      '\tchain FORWARD {',
      '\t\ttype filter hook forward priority filter; policy drop;',
      '\t\tcounter jump DOCKER-USER',
      '\t}',
      '}',
    ].join('\n');
    expect(parseNftRuleset(filtering)).toBe(true);
    expect(parseNftRuleset(dropPolicy)).toBe(true);
    expect(parseNftRuleset(docker)).toBe(false);
    expect(parseNftRuleset('')).toBe(false);
    expect(parseNftRuleset('netlink: Error: cache initialization failed: Operation not permitted')).toBeNull();
  });

  it('finds LUKS on the path to the root file system', () => {
    const luks = JSON.stringify({
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
    const plain = JSON.stringify({
      blockdevices: [
        {
          name: 'sda',
          type: 'disk',
          fstype: null,
          mountpoint: null,
          children: [{ name: 'sda1', type: 'part', fstype: 'ext4', mountpoint: '/' }],
        },
        // An encrypted data disk does not make the system disk encrypted.
        {
          name: 'sdb',
          type: 'disk',
          fstype: 'crypto_LUKS',
          mountpoint: null,
          children: [{ name: 'data', type: 'crypt', fstype: 'ext4', mountpoint: '/data' }],
        },
      ],
    });
    expect(parseLsblkRootEncryption(luks)).toEqual({ enabled: true, method: 'LUKS' });
    expect(parseLsblkRootEncryption(plain)).toEqual({ enabled: false, method: null });
    expect(
      parseLsblkRootEncryption('{"blockdevices":[{"name":"vda","type":"disk","fstype":null,"mountpoints":["/"]}]}'),
    ).toEqual({
      enabled: false,
      method: null,
    });
    expect(
      parseLsblkRootEncryption('{"blockdevices":[{"name":"loop0","type":"loop","mountpoint":"/snap/core/1"}]}'),
    ).toBeNull();
    expect(parseLsblkRootEncryption('lsblk: unknown column')).toBeNull();
  });

  it('reads Secure Boot from mokutil and from the EFI variable', () => {
    expect(parseMokutilSbState('SecureBoot enabled\n')).toBe(true);
    expect(parseMokutilSbState('SecureBoot disabled\nPlatform is in Setup Mode\n')).toBe(false);
    expect(parseMokutilSbState('EFI variables are not supported on this system\n')).toBe(false);
    expect(parseMokutilSbState('Failed to read SecureBoot\n')).toBeNull();
    expect(parseSecureBootEfivar('\u0006\u0000\u0000\u0000\u0001')).toBe(true);
    expect(parseSecureBootEfivar('\u0006\u0000\u0000\u0000\u0000')).toBe(false);
    expect(parseSecureBootEfivar('')).toBeNull();
  });

  it('finds ClamAV units that are installed', () => {
    const active = 'LoadState=loaded\nActiveState=active\n\nLoadState=not-found\nActiveState=inactive\n';
    const stopped = 'LoadState=loaded\nActiveState=failed\n\nLoadState=not-found\nActiveState=inactive\n';
    const absent = 'LoadState=not-found\nActiveState=inactive\n\nLoadState=not-found\nActiveState=inactive\n';
    expect(parseClamavUnits(active)).toEqual([{ name: 'ClamAV', enabled: true, upToDate: null }]);
    expect(parseClamavUnits(stopped)).toEqual([{ name: 'ClamAV', enabled: false, upToDate: null }]);
    expect(parseClamavUnits(absent)).toEqual([]);
  });
});
