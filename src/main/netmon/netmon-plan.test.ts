import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NETMON_SERVER_HEALTH_PATH } from '../../shared/netmon/netmon-limits';
import { serverHealthTarget } from './netmon-plan';

describe('the server target', () => {
  it('checks the health path under the server URL, with its scheme and port', () => {
    expect(serverHealthTarget('https://helpdesk.example.com')).toEqual({
      scheme: 'https',
      host: 'helpdesk.example.com',
      path: '/healthz',
    });
    expect(serverHealthTarget('http://[::1]:8080/desk/')).toEqual({
      scheme: 'http',
      host: '::1',
      port: 8080,
      path: '/desk/healthz',
    });
    expect(serverHealthTarget('ftp://x')).toBeNull();
  });

  it('the health path is the one the server registers', () => {
    const app = readFileSync(new URL('../../server/app.ts', import.meta.url), 'utf8');
    expect(app).toContain(`app.get('${NETMON_SERVER_HEALTH_PATH}'`);
  });
});
