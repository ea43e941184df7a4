import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { netLinkSchema } from '../../shared/netmon/netmon';
import type { ProcessRunner } from '../actions/process-runner';
import { createLinkReader, type LinkPorts } from './link.probe';

const fixture = (path: string) => readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8');

/** A Linux machine on Wi-Fi (wlp2s0) with a WireGuard tunnel, as /proc, /sys and iw show it. */
function linuxPorts(files: Record<string, string>, calls: string[]): LinkPorts {
  const runner: ProcessRunner = {
    async run(command, args) {
      calls.push([command, ...args].join(' '));
      if (command === 'iw')
        return { ok: true, value: { exitCode: 0, stdout: fixture('linux/netmon/iw-link.txt'), stderr: '' } };
      return { ok: false, error: { code: 'not_found', message: `${command} is not installed` } };
    },
  };
  return {
    platform: 'linux',
    runner,
    readText: async (path) => files[path] ?? null,
    list: async (path) =>
      path === '/sys/class/net' ? ['lo', 'wg0', 'wlp2s0'] : path in files || path.endsWith('/wireless') ? [] : null,
    interfaces: () => ({
      wlp2s0: [
        {
          address: '192.168.1.37',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: '',
          internal: false,
          cidr: '192.168.1.37/24',
        },
      ],
      wg0: [
        {
          address: '10.8.0.2',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: '',
          internal: false,
          cidr: '10.8.0.2/24',
        },
      ],
    }),
  };
}

describe('link reader (Linux)', () => {
  it('default interface, subnet, Wi-Fi from iw, counter deltas between reports, VPN from a tunnel interface', async () => {
    const stats = (n: number) => ({
      '/sys/class/net/wlp2s0/statistics/rx_errors': `${3 + n}\n`,
      '/sys/class/net/wlp2s0/statistics/tx_errors': '0\n',
      '/sys/class/net/wlp2s0/statistics/rx_dropped': `${10 + 2 * n}\n`,
      '/sys/class/net/wlp2s0/statistics/tx_dropped': '1\n',
    });
    const files: Record<string, string> = {
      '/proc/net/route':
        'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\nwlp2s0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n',
      '/sys/class/net/wg0/operstate': 'unknown\n',
      ...stats(0),
    };
    const calls: string[] = [];
    // Only the wireless folder of wlp2s0 exists (list answers [] for it, null for wg0's virtual path check).
    const ports = linuxPorts(files, calls);
    ports.list = async (path) =>
      path === '/sys/class/net' ? ['lo', 'wg0', 'wlp2s0'] : path === '/sys/class/net/wlp2s0/wireless' ? [] : null;
    const reader = createLinkReader(ports);
    const first = netLinkSchema.parse(await reader.read(1000));
    expect(first).toMatchObject({
      interface: 'wlp2s0',
      subnet: '192.168.1.0/24',
      kind: 'wifi',
      wifi: { ssid: 'Office-5G', signalDbm: -58, channel: 36, band: '5' },
      errors: null,
      vpn: { up: true, name: 'wg0' },
    });
    expect(calls).toEqual(['iw dev wlp2s0 link']);
    Object.assign(files, stats(4));
    const second = await reader.read(2000);
    expect(second.errors).toEqual({ rxErrors: 4, txErrors: 0, rxDropped: 8, txDropped: 0 });
  });
});
