import { describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../../src/main/actions/process-runner';
import { createPathLookup } from '../../../src/main/diagnostics/command-runner';
import { dnsProbe } from '../../../src/main/netmon/dns.probe';
import { httpProbe } from '../../../src/main/netmon/http.probe';
import { icmpProbe } from '../../../src/main/netmon/icmp.probe';
import { tcpProbe } from '../../../src/main/netmon/tcp.probe';
import { refusedPort, startDns, startFullBacklog, startHttp, startProxy, startSilent } from './loopback';

/*
 * Network monitoring's probes, real, against loopback targets only (test/agent/netmon/loopback.ts): the
 * OS's ping to 127.0.0.1, TCP connects, HTTP with timings, DNS through a responder the test starts.
 */

const never = new AbortController().signal;
const hasPing = process.platform === 'linux' && (await createPathLookup()('ping'));

describe('ICMP through the OS ping', () => {
  it.skipIf(!hasPing)(
    'pings 127.0.0.1: every echo answered, min ≤ avg ≤ max, jitter from the per-echo times',
    async () => {
      const r = await icmpProbe(createProcessRunner(), 'linux', '127.0.0.1', 3, 1000, never);
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ sent: 3, received: 3 });
      expect(r.minMs).toBeLessThanOrEqual(r.rttMs ?? -1);
      expect(r.rttMs).toBeLessThanOrEqual(r.maxMs ?? -1);
      expect(r.jitterMs).not.toBeNull();
      expect(r.maxMs).toBeLessThan(50);
    },
  );

  it.skipIf(!hasPing)('an invalid host name is nxdomain, not a loss of the network', async () => {
    // ".invalid" never resolves (RFC 2606); resolution fails before anything is sent.
    const r = await icmpProbe(createProcessRunner(), 'linux', 'no-such-host.invalid', 2, 1000, never);
    expect(r.received).toBe(0);
    expect(['nxdomain', 'ping-failed']).toContain(r.error);
  });
});

describe('TCP connects', () => {
  it('times connects to a listening port', async () => {
    const { port } = await startHttp();
    const r = await tcpProbe('127.0.0.1', port, 4, 1000, never);
    expect(r).toMatchObject({ sent: 4, received: 4 });
    expect(r.error).toBeUndefined();
    expect(r.jitterMs).not.toBeNull();
  });

  it('a port with nothing listening is refused at once; for the gateway a refusal still answers', async () => {
    const port = await refusedPort();
    const started = performance.now();
    const r = await tcpProbe('127.0.0.1', port, 3, 1000, never);
    expect(performance.now() - started).toBeLessThan(500);
    expect(r).toMatchObject({ sent: 3, received: 0, rttMs: null, error: 'refused' });
    const asGateway = await tcpProbe('127.0.0.1', port, 3, 1000, never, { refusedAnswers: true });
    expect(asGateway).toMatchObject({ sent: 3, received: 3 });
    expect(asGateway.rttMs).not.toBeNull();
  });

  it('a listener whose accept queue is full drops the SYN: each connect times out', async (ctx) => {
    const port = await startFullBacklog();
    if (port === null) return ctx.skip('python3 is needed for a socket that never accepts');
    const started = performance.now();
    const r = await tcpProbe('127.0.0.1', port, 2, 300, never);
    expect(r).toMatchObject({ sent: 2, received: 0, error: 'timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
  });
});

describe('HTTP checks', () => {
  it('times a fast route and a slow one (DNS skipped for an IP, connect, first byte, status)', async () => {
    const { port } = await startHttp(250);
    const fast = await httpProbe({ scheme: 'http', host: '127.0.0.1', port, path: '/fast' }, 2000, never);
    const slow = await httpProbe({ scheme: 'http', host: '127.0.0.1', port, path: '/slow' }, 2000, never);
    expect(fast).toMatchObject({ sent: 1, received: 1, http: { status: 200, tlsMs: null } });
    expect(fast.error).toBeUndefined();
    expect(fast.http.connectMs).not.toBeNull();
    expect(fast.rttMs).toBeLessThan(200);
    expect(slow.rttMs).toBeGreaterThanOrEqual(245);
    expect(slow.http.firstByteMs).toBe(slow.rttMs);
  });

  it('a 503 is an answer that names its status', async () => {
    const { port } = await startHttp();
    const r = await httpProbe({ scheme: 'http', host: '127.0.0.1', port, path: '/fail' }, 2000, never);
    expect(r).toMatchObject({ received: 1, error: 'http-503', http: { status: 503 } });
  });

  it('refused, and a listener that never answers times out at the timeout', async () => {
    const refused = await httpProbe(
      { scheme: 'http', host: '127.0.0.1', port: await refusedPort(), path: '/' },
      1000,
      never,
    );
    expect(refused).toMatchObject({ sent: 1, received: 0, error: 'refused', http: { status: null, connectMs: null } });
    const silent = await startSilent();
    const started = performance.now();
    const r = await httpProbe({ scheme: 'http', host: '127.0.0.1', port: silent, path: '/' }, 400, never);
    const took = performance.now() - started;
    expect(r).toMatchObject({ received: 0, error: 'timeout', http: { firstByteMs: null } });
    expect(r.http.connectMs).not.toBeNull();
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(1500);
  });

  it('loss and jitter injected by a loopback proxy: dropped connections fail, delayed ones are slower', async () => {
    const { port } = await startHttp();
    // Connection 1 and 3 are reset; 0, 2 and 4 are held 0, 120 and 40 ms before forwarding.
    const delays = [0, 0, 120, 0, 40];
    const proxy = await startProxy(
      port,
      (n) => n % 2 === 1,
      (n) => delays[n] ?? 0,
    );
    const runs = [];
    for (let i = 0; i < 5; i++)
      runs.push(await httpProbe({ scheme: 'http', host: '127.0.0.1', port: proxy, path: '/fast' }, 2000, never));
    expect(runs.map((r) => r.received)).toEqual([1, 0, 1, 0, 1]);
    expect(runs[1]?.error).toMatch(/reset|connect-failed/);
    const [a, , b, , c] = runs.map((r) => r.rttMs ?? 0);
    expect(b).toBeGreaterThanOrEqual(115);
    expect(c).toBeGreaterThanOrEqual(35);
    expect(b).toBeGreaterThan((a ?? 0) + 80);
  });
});

describe('DNS through each resolver', () => {
  it('times lookups through a loopback resolver; each lookup is a query (no cache)', async () => {
    const dns = await startDns({ 'intranet.test': '192.0.2.10' });
    const r = await dnsProbe(dns.server, 'intranet.test', 4, 1000, never);
    expect(r).toMatchObject({ sent: 4, received: 4 });
    expect(r.error).toBeUndefined();
    expect(dns.queries).toEqual(['intranet.test', 'intranet.test', 'intranet.test', 'intranet.test']);
  });

  it('a name that does not resolve is answered (nxdomain) with its time', async () => {
    const dns = await startDns({});
    const r = await dnsProbe(dns.server, 'missing.test', 2, 1000, never);
    expect(r).toMatchObject({ sent: 2, received: 2, error: 'nxdomain' });
    expect(r.rttMs).not.toBeNull();
  });

  it('dropped queries are loss, uneven delays are jitter', async () => {
    // Query 0 at once, 1 dropped, 2 after 60 ms, 3 at once.
    const dns = await startDns({ 'intranet.test': '192.0.2.10' }, [0, -1, 60, 0]);
    const r = await dnsProbe(dns.server, 'intranet.test', 4, 300, never);
    expect(r).toMatchObject({ sent: 4, received: 3 });
    expect(r.maxMs).toBeGreaterThanOrEqual(55);
    expect(r.jitterMs).toBeGreaterThanOrEqual(50);
  });

  it('a resolver that never answers times out', async () => {
    const dns = await startDns({ 'intranet.test': '192.0.2.10' }, [-1]);
    const r = await dnsProbe(dns.server, 'intranet.test', 2, 200, never);
    expect(r).toMatchObject({ sent: 2, received: 0, error: 'timeout' });
  });
});
