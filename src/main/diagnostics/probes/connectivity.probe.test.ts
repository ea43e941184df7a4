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
