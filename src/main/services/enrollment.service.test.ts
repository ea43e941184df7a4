import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrollRequest } from '../../shared/api/devices';
import { ApiCallError } from './api-client';
import { createEnrollment } from './enrollment.service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-enroll-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const silent = { info() {}, warn() {}, error() {} };

function setup(options: { secret?: string } = {}) {
  const requests: EnrollRequest[] = [];
  const clock = { now: 1_000_000 };
  let failure: ApiCallError | null = null;
  let serverUrl: string | null = 'https://help.example.com';
  const enrollment = createEnrollment({
    dataDir: dir,
    api: {
      async enroll(request) {
        requests.push(request);
        if (failure) throw failure;
        return { deviceId: `device-${requests.length}`, deviceToken: `token-${requests.length}` };
      },
    },
    serverUrl: () => serverUrl,
    enrollSecret: () => ('secret' in options ? options.secret : 'dse_0123456789abcdef'),
    groups: () => ['laptops'],
    agentVersion: '1.2.3',
    logger: silent,
    now: () => clock.now,
    machineId: async () => 'machine-0123456789',
  });
  return {
    enrollment,
    requests,
    clock,
    fail: (e: ApiCallError | null) => (failure = e),
    setUrl: (u: string | null) => (serverUrl = u),
  };
}

describe('enrollment', () => {
  it('enrolls silently, stores the token with mode 0600, and reuses it after a restart', async () => {
    const t = setup();
    await t.enrollment.load();
    expect(t.enrollment.state().state).toBe('not-configured');
    expect(await t.enrollment.ensure()).toMatchObject({
      state: 'enrolled',
      deviceId: 'device-1',
      serverUrl: 'https://help.example.com',
    });
    expect(t.requests[0]).toMatchObject({
      enrollSecret: 'dse_0123456789abcdef',
      machineId: 'machine-0123456789',
      agentVersion: '1.2.3',
      groups: ['laptops'],
    });
    const file = join(dir, 'device.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ deviceToken: 'token-1' });

    const restarted = setup();
    await restarted.enrollment.load();
    expect(restarted.enrollment.token()).toBe('token-1');
    await restarted.enrollment.ensure();
    expect(restarted.requests).toEqual([]);
    // Credentials belong to one server.
    restarted.setUrl('https://other.example.com');
    expect(restarted.enrollment.token()).toBeNull();
  });

  it('says why it failed, and enrolls once the server is reachable', async () => {
    const t = setup();
    await t.enrollment.load();
    t.fail(new ApiCallError('transient', 'The server cannot be reached (ECONNREFUSED)'));
    expect(await t.enrollment.ensure()).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/cannot be reached/),
    });
    t.fail(
      new ApiCallError('unauthorized', 'The enrollment secret is invalid or revoked', 401, 'invalid_enroll_secret'),
    );
    expect(await t.enrollment.ensure()).toMatchObject({
      state: 'failed',
      error: 'The enrollment secret is invalid or revoked',
    });
    t.fail(null);
    expect((await t.enrollment.ensure()).state).toBe('enrolled');
  });

  it('re-enrolls when the token is rejected, at most once a minute; without a secret it says so', async () => {
    const t = setup();
    await t.enrollment.load();
    await t.enrollment.ensure();
    await t.enrollment.tokenRejected();
    expect(t.enrollment.token()).toBe('token-2');
    await t.enrollment.tokenRejected();
    expect(t.requests).toHaveLength(2);
    t.clock.now += 61_000;
    await t.enrollment.tokenRejected();
    expect(t.enrollment.token()).toBe('token-3');

    const noSecret = setup({ secret: undefined });
    await noSecret.enrollment.load();
    expect(noSecret.enrollment.state()).toMatchObject({ state: 'enrolled' });
    await noSecret.enrollment.tokenRejected();
    expect(noSecret.enrollment.state()).toMatchObject({ state: 'failed', error: expect.stringMatching(/ask IT/) });
  });
});
