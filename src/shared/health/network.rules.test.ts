import { describe, expect, it } from 'vitest';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import type { ConnectivityCheck, Snapshot } from '../snapshot';
import type { Finding, FindingCode } from './finding';
import { findingSchema } from './finding';
import { evaluateHealth } from './rules';

/** Findings of one code, each checked against the wire schema. */
function run(snap: Snapshot, code: FindingCode): Finding[] {
  return evaluateHealth(snap)
    .map((f) => findingSchema.parse(f))
    .filter((f) => f.code === code);
}

/** The healthy snapshot with the checks of `kind` replaced. */
function withChecks(snap: Snapshot, ...checks: ConnectivityCheck[]): Snapshot {
  const kinds = new Set(checks.map((c) => c.kind));
  const kept = snap.sections.connectivity?.checks.filter((c) => !kinds.has(c.kind)) ?? [];
  return withSection(snap, 'connectivity', { checks: [...kept, ...checks] });
}

const failed = (kind: ConnectivityCheck['kind'], target: string, detail: string | null = null): ConnectivityCheck => ({
  kind,
  target,
  status: 'failed',
  latencyMs: null,
  detail,
});

describe('network.no_gateway', () => {
  it('is critical and says which interfaces are up', () => {
    const [finding] = run(withSection(healthySnapshot(), 'network', { defaultGateway: null }), 'network.no_gateway');
    expect(finding).toMatchObject({
      severity: 'critical',
      title: 'Your computer is not connected to a network',
      evidence: 'No default gateway; interfaces up: wlp0s20f3 (192.168.1.57)',
      articleTags: ['wifi', 'network'],
    });
  });

  it('treats an empty gateway as none', () => {
    expect(run(withSection(healthySnapshot(), 'network', { defaultGateway: ' ' }), 'network.no_gateway')).toHaveLength(
      1,
    );
  });

  it('tells "nothing is up" apart from "up without an address"', () => {
    const interfaces = healthySnapshot().sections.network!.interfaces;
    const down = interfaces.map((i) => ({ ...i, up: i.type === 'loopback' }));
    const noIp = interfaces.map((i) => (i.name === 'wlp0s20f3' ? { ...i, ipv4: [] } : i));
    expect(
      run(
        withSection(healthySnapshot(), 'network', { defaultGateway: null, interfaces: down }),
        'network.no_gateway',
      )[0]?.evidence,
    ).toBe('No default gateway; no network interface is up');
    expect(
      run(
        withSection(healthySnapshot(), 'network', { defaultGateway: null, interfaces: noIp }),
        'network.no_gateway',
      )[0]?.evidence,
    ).toBe('No default gateway; interfaces up: wlp0s20f3 (no IPv4 address)');
  });

  it('says nothing with a gateway or without a network section', () => {
    expect(run(healthySnapshot(), 'network.no_gateway')).toEqual([]);
    const none = withSection(healthySnapshot(), 'network', { defaultGateway: null });
    expect(run(withoutSection(none, 'network'), 'network.no_gateway')).toEqual([]);
  });
});

describe('network.dns_failing', () => {
  it('is critical when a lookup failed, with the detail and the servers asked', () => {
    const snap = withChecks(healthySnapshot(), failed('dns', 'helpdesk.contoso.example', 'ENOTFOUND'));
    const [finding, ...rest] = run(snap, 'network.dns_failing');
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('critical');
    expect(finding?.evidence).toBe(
      'DNS lookup failed for helpdesk.contoso.example (ENOTFOUND); DNS servers: 192.168.1.1, 9.9.9.9',
    );
    expect(finding?.articleTags).toEqual(['dns', 'network']);
  });

  it('is a warning when no DNS server is configured but lookups did not fail', () => {
    const [finding] = run(withSection(healthySnapshot(), 'network', { dnsServers: [] }), 'network.dns_failing');
    expect(finding).toMatchObject({ severity: 'warning', evidence: 'No DNS servers are configured' });
  });

  it('combines both into one critical finding', () => {
    const snap = withChecks(withSection(healthySnapshot(), 'network', { dnsServers: [] }), failed('dns', 'a.example'));
    expect(run(snap, 'network.dns_failing')).toMatchObject([
      { severity: 'critical', evidence: 'DNS lookup failed for a.example; no DNS servers are configured' },
    ]);
  });

  it('works from either section alone', () => {
    const failing = withChecks(healthySnapshot(), failed('dns', 'a.example'));
    expect(run(withoutSection(failing, 'network'), 'network.dns_failing')[0]?.evidence).toBe(
      'DNS lookup failed for a.example',
    );
    const empty = withSection(healthySnapshot(), 'network', { dnsServers: [] });
    expect(run(withoutSection(empty, 'connectivity'), 'network.dns_failing')).toHaveLength(1);
  });

  it('ignores skipped checks and missing sections', () => {
    const skipped = withChecks(healthySnapshot(), { ...failed('dns', 'a.example'), status: 'skipped' });
    expect(run(skipped, 'network.dns_failing')).toEqual([]);
    const failing = withChecks(
      withSection(healthySnapshot(), 'network', { dnsServers: [] }),
      failed('dns', 'a.example'),
    );
    expect(run(withoutSection(withoutSection(failing, 'network'), 'connectivity'), 'network.dns_failing')).toEqual([]);
  });
});

describe('network.server_unreachable', () => {
  it('is a warning naming the server and the error', () => {
    const snap = withChecks(
      healthySnapshot(),
      failed('server', 'https://helpdesk.contoso.example', 'connect ETIMEDOUT'),
    );
    expect(run(snap, 'network.server_unreachable')).toMatchObject([
      {
        severity: 'warning',
        evidence: 'Could not reach https://helpdesk.contoso.example (connect ETIMEDOUT)',
        articleTags: ['vpn', 'network'],
      },
    ]);
  });

  it('says nothing when ok, skipped or not checked', () => {
    expect(run(healthySnapshot(), 'network.server_unreachable')).toEqual([]);
    const skipped = withChecks(healthySnapshot(), { ...failed('server', 'x'), status: 'skipped' });
    expect(run(skipped, 'network.server_unreachable')).toEqual([]);
    const down = withChecks(healthySnapshot(), failed('server', 'x'));
    expect(run(withoutSection(down, 'connectivity'), 'network.server_unreachable')).toEqual([]);
  });
});

describe('network.url_unreachable', () => {
  it('gives one warning per failed URL', () => {
    const snap = withChecks(
      healthySnapshot(),
      failed('url', 'https://intranet.contoso.example', 'HTTP 503'),
      { kind: 'url', target: 'https://mail.contoso.example', status: 'ok', latencyMs: 80, detail: null },
      failed('url', 'https://wiki.contoso.example'),
    );
    expect(run(snap, 'network.url_unreachable').map((f) => [f.severity, f.evidence])).toEqual([
      ['warning', 'Could not reach https://intranet.contoso.example (HTTP 503)'],
      ['warning', 'Could not reach https://wiki.contoso.example'],
    ]);
  });

  it('keeps evidence within the schema even for huge targets and details', () => {
    const snap = withChecks(healthySnapshot(), failed('url', `https://x.example/${'a'.repeat(2000)}`, 'e'.repeat(512)));
    const [finding] = run(snap, 'network.url_unreachable');
    expect(finding?.evidence.length).toBeLessThanOrEqual(1000);
  });

  it('says nothing without a connectivity section', () => {
    const snap = withChecks(healthySnapshot(), failed('url', 'https://intranet.contoso.example'));
    expect(run(withoutSection(snap, 'connectivity'), 'network.url_unreachable')).toEqual([]);
  });
});
