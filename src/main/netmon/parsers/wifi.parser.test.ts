import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { netLinkSchema } from '../../../shared/netmon/netmon';
import { parseResolvConf } from '../netmon-environment';
import {
  channelOfFrequency,
  parseIwLink,
  parseNetshWlan,
  parseNmcliVpn,
  parseNmcliWifi,
  parseRasdial,
  parseScutilNcList,
  parseSystemProfilerAirport,
  parseWdutilInfo,
  percentToDbm,
  splitTerse,
  type Wifi,
} from './wifi.parser';

const fixture = (path: string) => readFileSync(new URL(`../../../../test/fixtures/${path}`, import.meta.url), 'utf8');
/** Each parsed Wi-Fi link must pass the shared schema the server checks. */
const valid = (wifi: Wifi | null) =>
  netLinkSchema.parse({ at: 1, interface: 'x', subnet: null, kind: 'wifi', wifi, errors: null, vpn: null }).wifi;

describe('Wi-Fi parsers on fixtures', () => {
  it('iw dev <if> link', () => {
    expect(valid(parseIwLink(fixture('linux/netmon/iw-link.txt')))).toEqual({
      ssid: 'Office-5G',
      bssid: '70:3a:0e:11:22:33',
      signalDbm: -58,
      rateMbps: 866.7,
      channel: 36,
      band: '5',
    });
    expect(parseIwLink(fixture('linux/netmon/iw-link-not-connected.txt'))).toBeNull();
  });

  it('nmcli terse: the active row, escaped colons undone, percent to dBm', () => {
    expect(splitTerse('a\\:b:c\\\\d:')).toEqual(['a:b', 'c\\d', '']);
    expect(valid(parseNmcliWifi(fixture('linux/netmon/nmcli-wifi.txt')))).toEqual({
      ssid: 'Office-5G',
      bssid: '70:3a:0e:11:22:33',
      signalDbm: -58,
      rateMbps: 540,
      channel: 36,
      band: '5',
    });
    expect(parseNmcliVpn(fixture('linux/netmon/nmcli-active.txt'))).toEqual({ up: true, name: 'Office VPN' });
    expect(parseNmcliVpn('Wired connection 1:802-3-ethernet\n')).toEqual({ up: false, name: null });
  });

  it('netsh wlan show interfaces (Windows 11 and 10), disconnected', () => {
    expect(valid(parseNetshWlan(fixture('windows/netmon/netsh-wlan-show-interfaces.txt')))).toEqual({
      ssid: 'Office-5G',
      bssid: '70:3a:0e:11:22:33',
      signalDbm: -54,
      rateMbps: 1201,
      channel: 44,
      band: '5',
    });
    expect(valid(parseNetshWlan(fixture('windows/netmon/netsh-wlan-show-interfaces-win10.txt')))).toEqual({
      ssid: 'Guest',
      bssid: '70:3a:0e:11:22:44',
      signalDbm: -70,
      rateMbps: 144.4,
      channel: 6,
      band: '2.4',
    });
    expect(parseNetshWlan(fixture('windows/netmon/netsh-wlan-disconnected.txt'))).toBeNull();
  });

  it('wdutil info, and its redacted form', () => {
    expect(valid(parseWdutilInfo(fixture('macos/netmon/wdutil-info.txt')))).toEqual({
      ssid: 'Office-5G',
      bssid: '70:3a:0e:11:22:33',
      signalDbm: -56,
      rateMbps: 864,
      channel: 149,
      band: '5',
    });
    expect(parseWdutilInfo(fixture('macos/netmon/wdutil-info-redacted.txt'))).toMatchObject({
      ssid: null,
      bssid: null,
      signalDbm: -56,
    });
  });

  it('system_profiler SPAirPortDataType -json (no BSSID there)', () => {
    expect(valid(parseSystemProfilerAirport(fixture('macos/netmon/system-profiler-airport.json')))).toEqual({
      ssid: 'Office-5G',
      bssid: null,
      signalDbm: -56,
      rateMbps: 864,
      channel: 149,
      band: '5',
    });
    expect(parseSystemProfilerAirport('not json')).toBeNull();
  });

  it('VPN lists: rasdial and scutil --nc list', () => {
    expect(parseRasdial(fixture('windows/netmon/rasdial-connected.txt'))).toEqual({ up: true, name: 'Office VPN' });
    expect(parseRasdial(fixture('windows/netmon/rasdial-none.txt'))).toEqual({ up: false, name: null });
    expect(parseScutilNcList(fixture('macos/netmon/scutil-nc-list.txt'))).toEqual({ up: true, name: 'Office VPN' });
  });

  it('resolv.conf nameservers, channels of frequencies, percent to dBm', () => {
    expect(parseResolvConf(fixture('linux/netmon/resolv.conf'))).toEqual(['10.0.0.53', '10.0.1.53', 'fe80::1%wlp2s0']);
    expect(parseResolvConf(fixture('linux/netmon/resolv-stub.conf'))).toEqual(['127.0.0.53']);
    expect(channelOfFrequency(2412)).toEqual({ channel: 1, band: '2.4' });
    expect(channelOfFrequency(2484)).toEqual({ channel: 14, band: '2.4' });
    expect(channelOfFrequency(5745)).toEqual({ channel: 149, band: '5' });
    expect(channelOfFrequency(5955)).toEqual({ channel: 1, band: '6' });
    expect(percentToDbm(100)).toBe(-50);
    expect(percentToDbm(0)).toBe(-100);
  });
});
