import { describe, expect, it } from 'vitest';
import { parseResolvConf, realEnvironment } from './netmon-environment';

/*
 * The probes that would leave the machine (the gateway, the resolvers) are pointed at loopback by the test
 * suites, the benches and the demo through two variables.
 */

describe('netmon environment', () => {
  it('takes the gateway and the resolvers from DESKSIDE_PROBE_GATEWAY and DESKSIDE_PROBE_RESOLVERS', async () => {
    const env = realEnvironment('linux', {
      DESKSIDE_PROBE_GATEWAY: '127.0.0.1',
      DESKSIDE_PROBE_RESOLVERS: '127.0.0.1, 127.0.0.2',
    });
    expect((await env.defaultRoute()).gateway).toBe('127.0.0.1');
    expect(await env.resolvers()).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('parses nameserver lines of resolv.conf', () => {
    expect(parseResolvConf('# comment\nnameserver 10.0.0.53\nsearch corp\nnameserver fd00::53\n')).toEqual([
      '10.0.0.53',
      'fd00::53',
    ]);
  });
});
