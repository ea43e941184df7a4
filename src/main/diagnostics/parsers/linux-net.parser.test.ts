import { describe, expect, it } from 'vitest';
import { hexToIpv4, parseArpState, parseDefaultRoute } from './linux-net.parser';

// Captured from `cat /proc/net/route` and `cat /proc/net/arp` on Debian 12 (format: proc(5)).
const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlp2s0\t0000A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
wlp2s0\t00000000\t0100A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
enp0s31f6\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
`;
const ARP = `IP address       HW type     Flags       HW address            Mask     Device
192.168.0.1      0x1         0x2         3c:a6:2f:11:22:33     *        wlp2s0
192.168.1.1      0x1         0x0         00:00:00:00:00:00     *        enp0s31f6
`;

describe('linux network tables', () => {
  it('finds the default route with the lowest metric', () => {
    expect(parseDefaultRoute(ROUTE)).toEqual({ iface: 'enp0s31f6', gateway: '192.168.1.1' });
    expect(
      parseDefaultRoute(
        ROUTE.split('\n')
          .filter((l) => !l.startsWith('enp'))
          .join('\n'),
      ),
    ).toEqual({ iface: 'wlp2s0', gateway: '192.168.0.1' });
    expect(
      parseDefaultRoute(
        ROUTE.split('\n')
          .filter((l) => !l.includes('\t00000000\t0'))
          .join('\n'),
      ),
    ).toBeNull();
  });

  it('decodes little-endian addresses', () => {
    expect(hexToIpv4('0102A8C0')).toBe('192.168.2.1');
    expect(hexToIpv4('010200C0')).toBe('192.0.2.1');
  });

  it('reads the ARP state of a neighbour', () => {
    expect(parseArpState(ARP, '192.168.0.1')).toBe('ok');
    expect(parseArpState(ARP, '192.168.1.1')).toBe('failed');
    expect(parseArpState(ARP, '10.0.0.1')).toBeNull();
  });
});
