import type { NetLink } from '../../../shared/netmon/netmon';
import { splitLines } from '../../diagnostics/parsers/parse-utils';

/*
 * Pure readers of the Wi-Fi link per OS, tested on the fixtures in test/fixtures/<os>/netmon (formats and
 * sources in their READMEs): Linux `iw dev <if> link` and `nmcli -t`, Windows `netsh wlan show interfaces`,
 * macOS `wdutil info` (root) and `system_profiler SPAirPortDataType -json`; and the VPN lists of
 * NetworkManager, `rasdial` and `scutil --nc list`.
 */

export type Wifi = NonNullable<NetLink['wifi']>;

const BSSID = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

function bssid(value: string | undefined): string | null {
  const v = value?.trim().toLowerCase() ?? '';
  return BSSID.test(v) && v !== '00:00:00:00:00:00' ? v : null;
}

function int(value: string | undefined, min: number, max: number): number | null {
  const n = Number.parseFloat(value ?? '');
  return Number.isFinite(n) && n >= min && n <= max ? Math.round(n) : null;
}

function rate(value: string | undefined): number | null {
  const n = Number.parseFloat(value ?? '');
  return Number.isFinite(n) && n >= 0 && n <= 100_000 ? n : null;
}

/** A name macOS hides without location permission (`<redacted>`) or an empty one is unknown. */
function ssid(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  return v && v !== '<redacted>' ? v.slice(0, 64) : null;
}

/** Signal percent (Windows, NetworkManager) to dBm, as Windows' own mapping: dBm ≈ percent / 2 − 100. */
export function percentToDbm(percent: number): number {
  return Math.round(Math.min(100, Math.max(0, percent)) / 2 - 100);
}

/** The 802.11 channel and band of a centre frequency in MHz. */
export function channelOfFrequency(mhz: number): { channel: number | null; band: Wifi['band'] } {
  if (mhz >= 2412 && mhz <= 2484) return { channel: mhz === 2484 ? 14 : Math.round((mhz - 2407) / 5), band: '2.4' };
  if (mhz >= 5955 && mhz <= 7115) return { channel: Math.round((mhz - 5950) / 5), band: '6' };
  if (mhz >= 5150 && mhz <= 5895) return { channel: Math.round((mhz - 5000) / 5), band: '5' };
  return { channel: null, band: null };
}

function bandOf(text: string | undefined, channel: number | null): Wifi['band'] {
  const t = text ?? '';
  if (/\b6\s?G/i.test(t)) return '6';
  if (/\b5\s?G/i.test(t)) return '5';
  if (/\b2\.4\s?G/i.test(t)) return '2.4';
  if (channel === null) return null;
  return channel <= 14 ? '2.4' : '5';
}

/** `key : value` lines (netsh, wdutil) into a map of trimmed keys; the first occurrence wins. */
function colonFields(lines: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    if (!fields.has(key)) fields.set(key, line.slice(i + 1).trim());
  }
  return fields;
}

/** Linux `iw dev <if> link` (iw's link.c): null when it says "Not connected.". */
export function parseIwLink(text: string): Wifi | null {
  const lines = splitLines(text);
  const head = /^Connected to ([0-9a-f:]{17})/i.exec(lines[0]?.trim() ?? '');
  if (!head) return null;
  const get = (key: string) =>
    lines
      .find((l) => l.trim().startsWith(`${key}:`))
      ?.trim()
      .slice(key.length + 1)
      .trim();
  const freq = Number.parseFloat(get('freq') ?? '');
  const { channel, band } = Number.isFinite(freq) ? channelOfFrequency(freq) : { channel: null, band: null };
  return {
    ssid: ssid(get('SSID')),
    bssid: bssid(head[1]),
    signalDbm: int(get('signal'), -120, 0),
    // The rate the device transmits at is the link rate NetworkManager and the OS menus show.
    rateMbps: rate(get('tx bitrate') ?? get('rx bitrate')),
    channel,
    band,
  };
}

/** Splits one `nmcli -t` line on unescaped colons (terse mode escapes `:` and `\` with `\`, nmcli(1)). */
export function splitTerse(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':') {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

/** The NMCLI_WIFI_ARGS fields, in order. */
export const NMCLI_WIFI_FIELDS = 'ACTIVE,SSID,BSSID,SIGNAL,RATE,CHAN,FREQ';

/** `nmcli -t -f ACTIVE,SSID,BSSID,SIGNAL,RATE,CHAN,FREQ device wifi list --rescan no`: the active row. */
export function parseNmcliWifi(text: string): Wifi | null {
  for (const line of splitLines(text)) {
    const [active, name, mac, signal, rateText, chan, freq] = splitTerse(line);
    if (active !== 'yes') continue;
    const channel = int(chan, 0, 300);
    const f = Number.parseFloat(freq ?? '');
    const percent = int(signal, 0, 100);
    return {
      ssid: ssid(name),
      bssid: bssid(mac),
      signalDbm: percent === null ? null : percentToDbm(percent),
      rateMbps: rate(rateText),
      channel,
      band: Number.isFinite(f) ? channelOfFrequency(f).band : bandOf(undefined, channel),
    };
  }
  return null;
}

/** NetworkManager's active VPN or WireGuard connection (`nmcli -t -f NAME,TYPE connection show --active`). */
export function parseNmcliVpn(text: string): { up: boolean; name: string | null } {
  for (const line of splitLines(text)) {
    const [name, type] = splitTerse(line);
    if (type === 'vpn' || type === 'wireguard') return { up: true, name: name?.slice(0, 64) || null };
  }
  return { up: false, name: null };
}

/** Windows `netsh wlan show interfaces`: the first connected interface (English output). */
export function parseNetshWlan(text: string): Wifi | null {
  const blocks = text.split(/\r?\n\s*\r?\n/);
  for (const block of blocks) {
    const f = colonFields(splitLines(block));
    if (!/^connected$/i.test(f.get('State') ?? '')) continue;
    const channel = int(f.get('Channel'), 0, 300);
    const percent = int(f.get('Signal')?.replace('%', ''), 0, 100);
    return {
      ssid: ssid(f.get('SSID')),
      // Windows 11 says "AP BSSID"; Windows 10 "BSSID".
      bssid: bssid(f.get('AP BSSID') ?? f.get('BSSID')),
      signalDbm: percent === null ? null : percentToDbm(percent),
      rateMbps: rate(f.get('Transmit rate (Mbps)') ?? f.get('Receive rate (Mbps)')),
      channel,
      band: bandOf(f.get('Band'), channel),
    };
  }
  return null;
}

/** macOS `wdutil info` (needs root): the WIFI section. Null when not associated. */
export function parseWdutilInfo(text: string): Wifi | null {
  const lines = splitLines(text);
  const start = lines.findIndex((l) => l.trim() === 'WIFI');
  if (start < 0) return null;
  const section: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^[A-Z][A-Z ]+$/.test(line.trim()) && section.length > 2) break;
    section.push(line);
  }
  const f = colonFields(section);
  const name = ssid(f.get('SSID'));
  const mac = bssid(f.get('BSSID'));
  const signal = int(f.get('RSSI'), -120, 0);
  if (!name && !mac && signal === null) return null;
  // "Channel : 5g149/80": band, channel, width.
  const ch = /^(\d)g(\d+)/.exec(f.get('Channel') ?? '');
  const channel = ch ? int(ch[2], 0, 300) : null;
  return {
    ssid: name,
    bssid: mac,
    signalDbm: signal,
    rateMbps: rate(f.get('Tx Rate')),
    channel,
    band: ch ? (ch[1] === '2' ? '2.4' : ch[1] === '6' ? '6' : '5') : bandOf(undefined, channel),
  };
}

interface AirportInterface {
  spairport_status_information?: string;
  spairport_current_network_information?: Record<string, unknown>;
}

/** macOS `system_profiler SPAirPortDataType -json`: the current network (no BSSID there). */
export function parseSystemProfilerAirport(text: string): Wifi | null {
  let data: { SPAirPortDataType?: { spairport_airport_interfaces?: AirportInterface[] }[] };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    return null;
  }
  for (const entry of data.SPAirPortDataType ?? []) {
    for (const iface of entry.spairport_airport_interfaces ?? []) {
      const net = iface.spairport_current_network_information;
      if (!net || iface.spairport_status_information !== 'spairport_status_connected') continue;
      const channelText = String(net.spairport_network_channel ?? '');
      const channel = int(channelText, 0, 300);
      return {
        ssid: ssid(typeof net._name === 'string' ? net._name : undefined),
        bssid: null,
        signalDbm: int(String(net.spairport_signal_noise ?? ''), -120, 0),
        rateMbps: rate(String(net.spairport_network_rate ?? '')),
        channel,
        band: bandOf(channelText, channel),
      };
    }
  }
  return null;
}

/** Windows `rasdial` without arguments: "Connected to" and the connection names, or "No connections". */
export function parseRasdial(text: string): { up: boolean; name: string | null } {
  const lines = splitLines(text).map((l) => l.trim());
  const i = lines.findIndex((l) => /^Connected to$/i.test(l));
  const name = i >= 0 ? lines[i + 1] : undefined;
  return name && !/^Command completed/i.test(name) ? { up: true, name: name.slice(0, 64) } : { up: false, name: null };
}

/** macOS `scutil --nc list`: the first `(Connected)` service and its quoted name. */
export function parseScutilNcList(text: string): { up: boolean; name: string | null } {
  for (const line of splitLines(text)) {
    if (!/\(Connected\)/.test(line)) continue;
    const name = /"([^"]*)"/.exec(line)?.[1];
    return { up: true, name: name?.slice(0, 64) || null };
  }
  return { up: false, name: null };
}
