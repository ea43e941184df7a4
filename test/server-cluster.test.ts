import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_NODE_FLAGS } from '../src/server/cluster';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { createEnrollSecret } from '../src/server/devices/enroll-secrets.service';
import { cliEnvironment } from './helpers/cli';
import { openPeer } from './server/channel-client';
import { freePort, requestFresh, waitUntilHealthy } from './helpers/server-process';

const ADMIN = { email: 'cluster@example.com', password: 'cluster-password-1' };

// Two real server processes behind one port, on one SQLite file: everything they share lives in the database.
describe('deskside server --workers 2', () => {
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let secret: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskside-cluster-'));
    const db = openDatabase({ url: join(dir, 'deskside.db') });
    await migrateToLatest(db);
    secret = (await createEnrollSecret(db, 'cluster', Date.now())).secret;
    await db.destroy();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(
      process.execPath,
      ['bin/deskside.js', 'server', '--workers', '2', '--port', String(port), '--data-dir', dir, '--log-level', 'warn'],
      {
        env: cliEnvironment({ DESKSIDE_ADMIN_EMAIL: ADMIN.email, DESKSIDE_ADMIN_PASSWORD: ADMIN.password }),
        stdio: process.env.DESKSIDE_TEST_DEBUG ? 'inherit' : 'ignore',
      },
    );
    await waitUntilHealthy(url);
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  });

  const api = async (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  ) => {
    // A fresh connection per request, so the primary spreads them over both workers.
    const res = await requestFresh(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      // not JSON: the assertions on body say what was missing
    }
    return { status: res.status, headers: res.headers, body };
  };

  /**
   * Resolves once a worker reports the device's long poll parked (deskside_long_polls_waiting), so the
   * reply is posted while the poll waits, on whichever worker holds it. Each fresh connection may
   * reach either worker; the metric is per process.
   */
  const pollParked = async () => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const metrics = (await requestFresh(`${url}/metrics`)).text;
      if (/^deskside_long_polls_waiting [1-9]/m.test(metrics)) return;
    }
    throw new Error('no worker reported the long poll parked within 10 s');
  };

  it('starts its workers with the worker Node flags (Linux: read from /proc)', async () => {
    if (process.platform !== 'linux') return;
    const workers = (await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim().split(/\s+/);
    expect(workers).toHaveLength(2);
    for (const pid of workers) {
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      expect(argv).toEqual(expect.arrayContaining([...WORKER_NODE_FLAGS]));
    }
  });

  it('serves the technician console beside the API (the console folder found from the bundled server)', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^<!doctype html>/i);
  });

  it('keeps a staff session valid on every worker, and delivers a reply to a long-polling device within 5 s', async () => {
    const login = await api('/api/v1/auth/login', { method: 'POST', body: ADMIN });
    expect(login.status).toBe(200);
    const staff = {
      cookie: String(login.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': String(login.body.csrfToken),
    };
    for (let i = 0; i < 6; i++)
      expect((await api('/api/v1/auth/session', { headers: staff })).body.signedIn).toBe(true);

    const enrolled = await api('/api/v1/enroll', {
      method: 'POST',
      body: {
        enrollSecret: secret,
        machineId: 'cluster-machine-1',
        hostname: 'lt-cluster',
        os: { platform: 'linux' },
        agentVersion: '1',
      },
    });
    expect(enrolled.status).toBe(201);
    const device = { authorization: `Bearer ${String(enrolled.body.deviceToken)}` };
    const filed = await api('/api/v1/tickets', {
      method: 'POST',
      headers: { ...device, 'idempotency-key': 'cluster-ticket-0001' },
      body: { subject: 'VPN drops', category: 'network', urgency: 'medium' },
    });
    expect(filed.status).toBe(201);

    for (let round = 0; round < 3; round++) {
      const cursor = Number((await api('/api/v1/tickets/updates?after=0&wait=0', { headers: device })).body.cursor);
      const started = Date.now();
      const waiting = api(`/api/v1/tickets/updates?after=${cursor}&wait=20`, { headers: device });
      await pollParked();
      const reply = await api(`/api/v1/tickets/${String(filed.body.id)}/messages`, {
        method: 'POST',
        headers: staff,
        body: { body: `Try reconnecting (${round})` },
      });
      expect(reply.status).toBe(201);
      const update = await waiting;
      expect(Date.now() - started).toBeLessThan(5000);
      expect(JSON.stringify(update.body.messages)).toContain(`Try reconnecting (${round})`);
    }
  });

  it('pushes replies posted through either worker to an agent on the live channel, through the primary', async () => {
    const login = await api('/api/v1/auth/login', { method: 'POST', body: ADMIN });
    const staff = {
      cookie: String(login.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': String(login.body.csrfToken),
    };
    const enrolled = await api('/api/v1/enroll', {
      method: 'POST',
      body: {
        enrollSecret: secret,
        machineId: 'cluster-machine-2',
        hostname: 'lt-chan',
        os: { platform: 'linux' },
        agentVersion: '1',
      },
    });
    const token = String(enrolled.body.deviceToken);
    const filed = await api('/api/v1/tickets', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'cluster-ticket-0002' },
      body: { subject: 'Printer offline', category: 'hardware', urgency: 'low' },
    });
    expect(filed.status).toBe(201);
    const device = { authorization: `Bearer ${token}` };
    const cursor = Number((await api('/api/v1/tickets/updates?after=0&wait=0', { headers: device })).body.cursor);
    const peer = await openPeer(url, token);
    try {
      peer.send({ type: 'hello', cursor, agentVersion: '1' });
      await peer.next('welcome');
      // Fresh connections: the primary spreads the replies over both workers, one of which holds the socket.
      for (let round = 0; round < 4; round++) {
        const started = Date.now();
        const reply = await api(`/api/v1/tickets/${String(filed.body.id)}/messages`, {
          method: 'POST',
          headers: staff,
          body: { body: `Power-cycle it (${round})` },
        });
        expect(reply.status).toBe(201);
        const pushed = await peer.next('messages');
        expect(pushed.messages.map((m) => m.body)).toEqual([`Power-cycle it (${round})`]);
        expect(Date.now() - started).toBeLessThan(1000);
      }
    } finally {
      peer.ws.terminate();
    }
  });
});
