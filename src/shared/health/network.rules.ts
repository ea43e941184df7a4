import type { ConnectivityCheck, Snapshot } from '../snapshot';
import { formatList } from '../format';
import type { HealthRule } from './rule';
import { clip } from './rule';

/*
 * Rules about getting onto the network and reaching what work needs: gateway, DNS, the company
 * server and configured URLs. They read the connectivity checks the agent ran, not guesses.
 */

function failedChecks(snapshot: Snapshot, kind: ConnectivityCheck['kind']): ConnectivityCheck[] {
  return snapshot.sections.connectivity?.checks.filter((c) => c.kind === kind && c.status === 'failed') ?? [];
}

/** "target (detail)", with the probe's error detail when it gave one. */
function describeFailure(check: ConnectivityCheck): string {
  const target = clip(check.target, 200);
  return check.detail ? `${target} (${clip(check.detail, 160)})` : target;
}

/** No default gateway: the device reaches nothing beyond its own link. */
export const noGateway: HealthRule<'network.no_gateway'> = {
  code: 'network.no_gateway',
  title: 'Your computer is not connected to a network',
  articleTags: ['wifi', 'network'],
  evaluate(snapshot) {
    const network = snapshot.sections.network;
    if (!network || (network.defaultGateway ?? '').trim() !== '') return [];
    const up = network.interfaces.filter((i) => i.up && i.type !== 'loopback');
    // What is up, and whether it got an address, tells "Wi-Fi off" from "DHCP failed".
    const detail =
      up.length === 0
        ? 'no network interface is up'
        : `interfaces up: ${formatList(
            up.map((i) => `${i.name} (${i.ipv4.length > 0 ? i.ipv4.join(', ') : 'no IPv4 address'})`),
            4,
          )}`;
    return [{ severity: 'critical', evidence: `No default gateway; ${detail}` }];
  },
};

/** Names do not resolve, so nothing by name works even when the network is up. */
export const dnsFailing: HealthRule<'network.dns_failing'> = {
  code: 'network.dns_failing',
  title: 'Websites and apps cannot find servers by name',
  articleTags: ['dns', 'network'],
  evaluate(snapshot) {
    const network = snapshot.sections.network;
    const failed = failedChecks(snapshot, 'dns');
    const noServers = network !== undefined && network.dnsServers.length === 0;
    if (failed.length > 0) {
      const servers = network
        ? noServers
          ? '; no DNS servers are configured'
          : `; DNS servers: ${formatList(network.dnsServers, 4)}`
        : '';
      return [
        {
          severity: 'critical',
          evidence: `DNS lookup failed for ${formatList(failed.map(describeFailure), 3)}${servers}`,
        },
      ];
    }
    if (noServers) return [{ severity: 'warning', evidence: 'No DNS servers are configured' }];
    return [];
  },
};

/** The company server (help desk, VPN endpoint) is out of reach. */
export const serverUnreachable: HealthRule<'network.server_unreachable'> = {
  code: 'network.server_unreachable',
  title: "Your company's servers can't be reached",
  articleTags: ['vpn', 'network'],
  evaluate(snapshot) {
    const failed = failedChecks(snapshot, 'server');
    if (failed.length === 0) return [];
    return [{ severity: 'warning', evidence: `Could not reach ${formatList(failed.map(describeFailure), 3)}` }];
  },
};

/** Each configured URL that failed is its own finding: each may have its own fix. */
export const urlUnreachable: HealthRule<'network.url_unreachable'> = {
  code: 'network.url_unreachable',
  title: "A website you need can't be reached",
  articleTags: ['website', 'network'],
  evaluate(snapshot) {
    return failedChecks(snapshot, 'url').map((check) => ({
      severity: 'warning',
      evidence: `Could not reach ${describeFailure(check)}`,
    }));
  },
};
