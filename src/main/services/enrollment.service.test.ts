import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
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

const newKey = (): string =>
  generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).publicKey;
const KEY = newKey();

function setup(options: { secret?: string } = {}) {
  const requests: EnrollRequest[] = [];
  const errors: string[] = [];
  let commandKey = KEY;
  const clock = { now: 1_000_000 };
  let failure: ApiCallError | null = null;
  let serverUrl: string | null = 'https://help.example.com';
  const enrollment = createEnrollment({
    dataDir: dir,
    api: {
      async enroll(request) {
        requests.push(request);
        if (failure) throw failure;
        return { deviceId: `device-${requests.length}`, deviceToken: `token-${requests.length}`, commandKey };
      },
    },
    serverUrl: () => serverUrl,
    enrollSecret: () => ('secret' in options ? options.secret : 'dse_0123456789abcdef'),
    groups: () => ['laptops'],
    agentVersion: '1.2.3',
    logger: { ...silent, error: (message: string) => void errors.push(message) },
    now: () => clock.now,
    machineId: async () => 'machine-0123456789',
  });
  return {
    enrollment,
    requests,
    clock,
    errors,
    answerKey: (pem: string) => (commandKey = pem),
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

describe('command key pinning', () => {
  it('pins the key of the first enrollment, keeps it across restarts and re-enrollments', async () => {
    const t = setup();
    await t.enrollment.load();
    expect(t.enrollment.commandKey()).toBeNull();
    await t.enrollment.ensure();
    expect(t.enrollment.commandKey()).toBe(KEY);
    const file = join(dir, 'command-key.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const restarted = setup();
    await restarted.enrollment.load();
    expect(restarted.enrollment.commandKey()).toBe(KEY);
    // A lost device.json (or a rejected token) means enrolling again; the pin outlives it.
    await unlink(join(dir, 'device.json'));
    const again = setup();
    await again.enrollment.load();
    expect(await again.enrollment.ensure()).toMatchObject({ state: 'enrolled', error: null });
    expect(again.enrollment.commandKey()).toBe(KEY);
    expect(again.errors).toEqual([]);
  });

  it('refuses a different key on re-enrollment: keeps the pinned one, logs and shows the error, after a restart too', async () => {
    const t = setup();
    await t.enrollment.load();
    await t.enrollment.ensure();
    const other = newKey();
    t.answerKey(other);
    await t.enrollment.tokenRejected();
    expect(t.enrollment.token()).toBe('token-2');
    expect(t.enrollment.commandKey()).toBe(KEY);
    expect(t.enrollment.state()).toMatchObject({
      state: 'enrolled',
      error: expect.stringMatching(/command key changed/),
    });
    expect(t.errors).toEqual([expect.stringMatching(/different command key; keeping the pinned one/)]);
    expect(JSON.parse(await readFile(join(dir, 'command-key.json'), 'utf8'))).toMatchObject({ publicKeyPem: KEY });

    const restarted = setup();
    await restarted.enrollment.load();
    expect(restarted.enrollment.commandKey()).toBe(KEY);
    expect(restarted.enrollment.state().error).toMatch(/command key changed/);

    // The server answers the pinned key again: the warning goes, the pin never moved.
    t.clock.now += 61_000;
    t.answerKey(KEY);
    await t.enrollment.tokenRejected();
    expect(t.enrollment.state()).toMatchObject({ state: 'enrolled', error: null });
    expect(t.enrollment.commandKey()).toBe(KEY);
  });

  it('pins nothing from an answer that is not an Ed25519 key, and says so', async () => {
    const t = setup();
    t.answerKey('-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
    await t.enrollment.load();
    expect(await t.enrollment.ensure()).toMatchObject({
      state: 'enrolled',
      error: expect.stringMatching(/no valid command key/),
    });
    expect(t.enrollment.commandKey()).toBeNull();
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    t.answerKey(rsa.publicKey);
    await t.enrollment.tokenRejected();
    expect(t.enrollment.commandKey()).toBeNull();
  });

  it('a pin belongs to one server: another server URL has none until it is enrolled with', async () => {
    const t = setup();
    await t.enrollment.load();
    await t.enrollment.ensure();
    t.setUrl('https://other.example.com');
    expect(t.enrollment.commandKey()).toBeNull();
    const otherKey = newKey();
    t.answerKey(otherKey);
    await t.enrollment.ensure();
    expect(t.enrollment.commandKey()).toBe(otherKey);
    expect(t.enrollment.state().error).toBeNull();
  });
});
