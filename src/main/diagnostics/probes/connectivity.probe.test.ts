import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fakeCommandRunner } from '../../../../test/fakes/command-runner.fake';
import { fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { connectivityProbe } from './connectivity.probe';

// A default route through 192.168.1.1, as /proc/net/route writes it (gateway in little-endian hex).
const ROUTE =
  'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\neth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n';

describe('connectivity probe: gateway', () => {
  it('pings the address pinned in gatewayTarget, never the route gateway', async () => {
    const run = fakeCommandRunner({ 'ping -c 1 -W 2 127.0.0.1': { exitCode: 0 } });
    const ctx = fakeProbeContext({
      run,
      files: { '/proc/net/route': ROUTE },
      settings: { gatewayTarget: '127.0.0.1' },
    });
    const { checks } = await connectivityProbe.collect(ctx);
    expect(checks.find((c) => c.kind === 'gateway')).toMatchObject({ target: '127.0.0.1', status: 'ok' });
    expect(run.calls.filter((c) => c.command === 'ping').map((c) => c.args.at(-1))).toEqual(['127.0.0.1']);
  });
});

describe('connectivity probe: HTTP checks against a real server on 127.0.0.1', () => {
  it('counts any answer under 500 as up (a redirect is not followed), 5xx as down, and names silence and refusal', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/healthz') res.writeHead(401).end('sign in');
      else if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
      else if (req.url === '/broken') res.writeHead(503).end();
      // '/silent' never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port that refuses: bound, then closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      const ctx = fakeProbeContext({
        run: fakeCommandRunner({ 'ping -c 1 -W 1 127.0.0.1': { exitCode: 0 } }),
        settings: {
          gatewayTarget: '127.0.0.1',
          serverUrl: base,
          checkUrls: [`${base}/moved`, `${base}/broken`, `${base}/silent`, refused],
          connectivityTimeoutMs: 300,
        },
      });
      const { checks } = await connectivityProbe.collect(ctx);
      const byTarget = (target: string) => checks.find((c) => c.target === target);
      expect(byTarget(`${base}/healthz`)).toMatchObject({ kind: 'server', status: 'ok', detail: 'HTTP 401' });
      expect(byTarget(`${base}/moved`)).toMatchObject({ kind: 'url', status: 'ok', detail: 'HTTP 302' });
      expect(byTarget(`${base}/broken`)).toMatchObject({
        status: 'failed',
        detail: 'HTTP 503',
        latencyMs: expect.any(Number),
      });
      expect(byTarget(`${base}/silent`)).toMatchObject({
        status: 'failed',
        detail: 'No answer within 300 ms',
        latencyMs: null,
      });
      expect(byTarget(refused)).toMatchObject({ status: 'failed', detail: 'Unreachable (ECONNREFUSED)' });
      expect(hits).not.toContain('/elsewhere');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
