import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { mkdtemp, readFile, rm, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openRemoteTunnel, remoteTunnelUrl } from '../src/main/services/remote-tunnel';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { createEnrollSecret } from '../src/server/devices/enroll-secrets.service';
import { cliEnvironment } from './helpers/cli';
import { freePort, waitUntilHealthy } from './helpers/server-process';
import { REMOTE_TOKEN_PROTOCOL_PREFIX, REMOTE_TUNNEL_PROTOCOL } from '../src/shared/remote/remote-limits';
import { waitFor } from './agent/support';
import { openPeer } from './server/channel-client';

/*
 * The shipped nginx configuration (deploy/nginx/deskside.conf), run by Debian's nginx in front of two real
 * server instances over one PostgreSQL database: an agent connected through one instance gets a reply
 * posted through the other within a second, and the API, the console and the long poll work through nginx;
 * the two tunnels of a remote session (the device's and the console's) meet in one instance.
 */

const NGINX = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
const PG = process.env.DATABASE_URL;
const ADMIN = { email: 'nginx@example.com', password: 'nginx-password-123' };
const DB_NAME = 'deskside_test_nginx';

if (!NGINX) console.warn('deploy-nginx.test.ts skipped: nginx is not installed (apt-get install -y nginx)');
else if (!PG) console.warn('deploy-nginx.test.ts skipped: set DATABASE_URL to a PostgreSQL server');

describe.skipIf(!NGINX || !PG)('behind nginx: two instances over one PostgreSQL', () => {
  let dir: string;
  let dbUrl: string;
  let secret: string;
  const instances: { url: string; child: ChildProcess }[] = [];
  let nginx: ChildProcess;
  let front: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskside-nginx-'));
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await admin.end();
    const url = new URL(String(PG));
    url.pathname = `/${DB_NAME}`;
    dbUrl = url.toString();
    const db = openDatabase({ url: dbUrl });
    await migrateToLatest(db);
    secret = (await createEnrollSecret(db, 'nginx', Date.now())).secret;
    await db.destroy();

    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [
          'bin/deskside.js',
          'server',
          '--port',
          String(port),
          '--database-url',
          dbUrl,
          '--data-dir',
          join(dir, `i${i}`),
          '--log-level',
          'warn',
          '--trust-proxy',
          '127.0.0.1',
        ],
        {
          env: cliEnvironment({ DESKSIDE_ADMIN_EMAIL: ADMIN.email, DESKSIDE_ADMIN_PASSWORD: ADMIN.password }),
          stdio: process.env.DESKSIDE_TEST_DEBUG ? 'inherit' : 'ignore',
        },
      );
      instances.push({ url: `http://127.0.0.1:${port}`, child });
    }
    await Promise.all(instances.map((i) => waitUntilHealthy(i.url, 30_000)));

    // The shipped file, with this run's ports.
    const frontPort = await freePort();
    const [a, b] = instances.map((i) => new URL(i.url).port);
    const site = (await readFile('deploy/nginx/deskside.conf', 'utf8'))
      .replaceAll('server 127.0.0.1:8081', `server 127.0.0.1:${a}`)
      .replaceAll('server 127.0.0.1:8082', `server 127.0.0.1:${b}`)
      .replace('listen 80;', `listen 127.0.0.1:${frontPort};`);
    expect(site).toContain(`127.0.0.1:${frontPort}`);
    await writeFile(join(dir, 'deskside.conf'), site);
    for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, temp));
    await chmod(dir, 0o755);
    await writeFile(
      join(dir, 'nginx.conf'),
      [
        ...(process.getuid?.() === 0 ? ['user root;'] : []),
        'worker_processes 1;',
        'daemon off;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${dir}/${t};`,
        ),
        `  include ${dir}/deskside.conf;`,
        '}',
      ].join('\n'),
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    front = `http://127.0.0.1:${frontPort}`;
    await waitUntilHealthy(front, 10_000);
  }, 90_000);

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    for (const i of instances) i.child.kill('SIGTERM');
    await Promise.all(
      [nginx, ...instances.map((i) => i.child)]
        .filter(Boolean)
        .map((c) => new Promise((r) => (c!.exitCode !== null ? r(null) : c!.once('exit', r)))),
    );
    if (dir) await rm(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  });

  const api = async (
    base: string,
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  ) => {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json().catch(() => null)) as Record<string, unknown>,
    };
  };
  /** Signs the admin in through nginx: the headers a staff request needs. */
  const signIn = async () => {
    const login = await api(front, '/api/v1/auth/login', { method: 'POST', body: ADMIN });
    expect(login.status).toBe(200);
    return {
      cookie: String(login.headers.get('set-cookie')).split(';')[0] ?? '',
      'x-csrf-token': String(login.body.csrfToken),
    };
  };
  /** Enrolls a device through nginx; its id and token. */
  const enroll = async (machineId: string, hostname: string) => {
    const enrolled = await api(front, '/api/v1/enroll', {
      method: 'POST',
      body: { enrollSecret: secret, machineId, hostname, os: { platform: 'linux' }, agentVersion: '1' },
    });
    expect(enrolled.status).toBe(201);
    return { id: String(enrolled.body.deviceId), token: String(enrolled.body.deviceToken) };
  };
  const connectionsOf = async (base: string) =>
    Number(/^deskside_channel_connections (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);

  it('serves the console and the API through nginx, and delivers a reply posted through the other instance within a second', async () => {
    const consolePage = await fetch(`${front}/`);
    expect(consolePage.status).toBe(200);
    const staff = await signIn();
    const { token } = await enroll('nginx-machine-1', 'lt-nginx');
    const filed = await api(front, '/api/v1/tickets', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'nginx-ticket-0001' },
      body: { subject: 'VPN drops at home', category: 'network', urgency: 'medium' },
    });
    expect(filed.status).toBe(201);

    // The agent's socket, through nginx's WebSocket upgrade, lands on one of the instances.
    const peer = await openPeer(front, token);
    try {
      peer.send({ type: 'hello', cursor: 0, agentVersion: '1' });
      await peer.next('welcome');
      const counts = await Promise.all(instances.map((i) => connectionsOf(i.url)));
      expect(counts.reduce((a, n) => a + n, 0)).toBe(1);
      const holder = counts.indexOf(1);
      const other = instances[1 - holder]!;

      for (const [round, base] of [other.url, other.url, front, front].entries()) {
        const started = Date.now();
        const reply = await api(base, `/api/v1/tickets/${String(filed.body.id)}/messages`, {
          method: 'POST',
          headers: staff,
          body: { body: `Reconnect the VPN (${round})` },
        });
        expect(reply.status).toBe(201);
        let got = false;
        while (!got) {
          const frame = await peer.next('messages', 2000);
          got = frame.messages.some((m) => m.body === `Reconnect the VPN (${round})`);
        }
        expect(Date.now() - started).toBeLessThan(1000);
      }
    } finally {
      peer.ws.terminate();
    }

    // The long poll works through nginx too (the fallback where a proxy blocks WebSockets).
    const polled = await api(front, '/api/v1/tickets/updates?after=0&wait=0', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(polled.status).toBe(200);
    expect((polled.body.messages as unknown[]).length).toBe(4);
  });

  it("routes a remote session's two tunnels to one instance, whichever holds the device's live channel", async () => {
    const staff = await signIn();
    const { id: deviceId, token } = await enroll('nginx-machine-2', 'lt-nginx-remote');
    // The device's VNC server, on loopback: it greets each connection and keeps what it is sent.
    const received: string[] = [];
    const sockets: Socket[] = [];
    const vnc = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk) => received.push(chunk.toString()));
      socket.on('error', () => {});
      socket.write(`greeting-${sockets.length}`);
    });
    await new Promise<void>((resolve) => vnc.listen(0, '127.0.0.1', resolve));
    const vncPort = (vnc.address() as { port: number }).port;
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const peer = await openPeer(front, token);
    try {
      peer.send({ type: 'hello', cursor: 0, agentVersion: '1' });
      await peer.next('welcome');
      // Several sessions: with the tunnels spread over the two instances, some would land apart and never meet.
      for (let n = 1; n <= 4; n++) {
        const asked = await api(front, `/api/v1/devices/${deviceId}/remote-sessions`, {
          method: 'POST',
          headers: staff,
          body: { kind: 'control', reason: `Session ${n} through nginx` },
        });
        expect(asked.status, JSON.stringify(asked.body)).toBe(201);
        const id = String(asked.body.id);
        const { rows } = await db.query<{ envelope: string }>('select envelope from remote_sessions where id = $1', [
          id,
        ]);
        const tunnelToken = (JSON.parse(rows[0]!.envelope) as { tunnelToken: string }).tunnelToken;
        // The employee allows it: the agent says so on its live channel, then opens its tunnel.
        peer.send({
          type: 'remote.update',
          sessionId: id,
          status: 'accepted',
          consent: { by: 'employee' },
          vncPassword: 'abcdefgh',
        });
        const tunnel = await openRemoteTunnel({
          url: remoteTunnelUrl(front, id)!,
          deviceToken: token,
          sessionToken: tunnelToken,
          vnc: { host: '127.0.0.1', port: vncPort },
        });
        // The console opens its tunnel once it sees the session allowed (RemoteSessionPage): the agent's answer
        // reaches the database through the instance holding its live channel, perhaps after its tunnel opened.
        await waitFor(
          async () =>
            (await api(front, `/api/v1/remote-sessions/${id}`, { headers: staff })).body?.status === 'accepted',
          10_000,
          `session ${n} allowed`,
        );
        const console = new WebSocket(
          `${front.replace('http', 'ws')}/api/v1/remote-sessions/${id}/tunnel`,
          [REMOTE_TUNNEL_PROTOCOL, REMOTE_TOKEN_PROTOCOL_PREFIX + String(asked.body.consoleToken)],
          { headers: { cookie: staff.cookie } },
        );
        const shown: string[] = [];
        console.on('message', (data: Buffer) => shown.push(data.toString()));
        console.on('error', () => {});
        await new Promise<void>((resolve, reject) => {
          console.once('open', () => resolve());
          console.once('close', (code) => reject(new Error(`console tunnel closed (${code})`)));
        });
        await waitFor(() => shown.join('') === `greeting-${n}`, 10_000, `the VNC greeting through session ${n}`);
        console.send(Buffer.from(`key-${n}`));
        await waitFor(() => received.includes(`key-${n}`), 10_000, `session ${n}'s key at the VNC server`);
        const stopped = await api(front, `/api/v1/remote-sessions/${id}/stop`, { method: 'POST', headers: staff });
        expect(stopped.status).toBe(200);
        await tunnel.closed;
        console.terminate();
      }
    } finally {
      peer.ws.terminate();
      await db.end();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => vnc.close(resolve));
    }
  });
});
