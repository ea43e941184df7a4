import { describe, expect, it } from 'vitest';
import { applyPrivacy, hashIdentifier, shortenHomePaths } from './privacy';

describe('shortenHomePaths', () => {
  it('turns the user home and any other home folder into ~', () => {
    expect(shortenHomePaths('/home/alice/.config/app.json', ['/home/alice'])).toBe('~/.config/app.json');
    expect(shortenHomePaths('error in /home/bob/x and /Users/carol/Library', [])).toBe('error in ~/x and ~/Library');
    expect(shortenHomePaths('C:\\Users\\Dave\\AppData\\Local\\app.exe', [])).toBe('~\\AppData\\Local\\app.exe');
    expect(shortenHomePaths('c:\\users\\dave\\x', ['C:\\Users\\Dave'])).toBe('~\\x');
  });

  it('matches whole path components only', () => {
    expect(shortenHomePaths('/root/.cache and /rootfs/etc', ['/root'])).toBe('~/.cache and /rootfs/etc');
    expect(shortenHomePaths('/home', ['/home/alice'])).toBe('/home');
    expect(shortenHomePaths('/', ['/'])).toBe('/');
  });
});

describe('applyPrivacy', () => {
  const sections = {
    os: { user: 'alice' } as never,
    device: { serial: 'PF12345', vendor: 'Lenovo' } as never,
    network: {
      interfaces: [{ name: 'wlan0', mac: 'AA:BB:CC:DD:EE:FF' }],
      defaultGateway: null,
      dnsServers: [],
      wifi: null,
      defaultInterface: null,
    } as never,
    events: { entries: [{ message: 'session opened for user alice by (uid=0) in /home/alice/x' }] } as never,
  };

  it('always shortens home paths, but keeps identifiers without redaction', () => {
    const out = applyPrivacy(sections, { homeDirs: ['/home/alice'], userName: 'alice', salt: 's', redact: false });
    expect(out.device?.serial).toBe('PF12345');
    expect(JSON.stringify(out.events)).toContain('for user alice by');
    expect(JSON.stringify(out.events)).toContain('in ~/x');
  });

  it('hashes serials and MACs with a stable keyed hash and drops user names when redacting', () => {
    const out = applyPrivacy(sections, { homeDirs: ['/home/alice'], userName: 'alice', salt: 's', redact: true });
    expect(out.device?.serial).toBe(hashIdentifier('PF12345', 's'));
    expect(out.device?.serial).not.toBe(hashIdentifier('PF12345', 'other-device'));
    expect(out.network?.interfaces[0]?.mac).toBe(hashIdentifier('aa:bb:cc:dd:ee:ff', 's'));
    expect(out.os?.user).toBeNull();
    expect(JSON.stringify(out)).not.toMatch(/alice/i);
    // The input is never mutated: the preview and the sent copy must not drift apart.
    expect(sections.device).toMatchObject({ serial: 'PF12345' });
  });
});
