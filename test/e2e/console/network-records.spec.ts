import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { CheckHistoryDto, DeviceBandwidthDto } from '../../../src/shared/api/netmon-history';
import type { NetBandwidth, NetLink, NetSample } from '../../../src/shared/netmon/netmon';
import { freePort } from '../../helpers/server-process';
import { openPeer, type TestPeer } from '../../server/channel-client';
import {
  ADMIN,
  createEnrollSecret,
  staffClient,
  startServer,
  type RunningServer,
  type StaffClient,
} from '../support/server';
import { baselineSnapshot, enroll, fileTicket, type Device } from './support-agent';

/*
 * Network records in the console (issue 14), end to end against a real server (built CLI, SQLite): a device's
 * bandwidth tests on its Network section and "Measure now" (the request reaches the device's live channel as
 * `netmon.measure`; the device's answer, a `netmon.batch`, shows without a reload); the 24 hours kept with a
 * ticket (hourly bars); a server-side check's history, reached from the Network page, with the state changes
 * of a loopback service that goes down and comes back, and a TLS check's certificate expiry.
 */

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
const MIN = 60_000;
const HOUR = 60 * MIN;

let dataDir: string;
let consoleCopy: string;
let certDir: string;
let server: RunningServer;
let staff: StaffClient;
let context: BrowserContext;
let page: Page;
let device: Device;
let peer: TestPeer;
let ticketId = 0;
let filePort = 0;
let fileServer: Server | null = null;
let tlsServer: tls.Server;
const consoleErrors: string[] = [];

const listen = (s: Server | tls.Server, port = 0) =>
  new Promise<number>((resolve) => s.listen(port, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
const openFileServer = async () => {
  fileServer = createServer((socket) => socket.end());
  filePort = await listen(fileServer, filePort);
};
const closeFileServer = () => new Promise<void>((resolve) => fileServer!.close(() => resolve()));

async function put(path: string, body: unknown, status = 200): Promise<void> {
  const res = await staff.request('PUT', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}

function day(now: number): NetSample[] {
  const out: NetSample[] = [];
  for (let at = now - 24 * HOUR + 2 * MIN; at < now - 30_000; at += 5 * MIN) {
    const outage = at >= now - 7 * HOUR && at < now - 7 * HOUR + 15 * MIN;
    for (const [target, base] of [
      ['gateway', 2.5],
      ['dns', 12],
      ['server', 19],
    ] as const) {
      const wave = 1 + 0.3 * Math.sin(at / (2 * HOUR) + base);
      const received = target === 'gateway' && outage ? 0 : 4;
      const rtt = Math.round(base * wave * 100) / 100;
      out.push({
        target,
        address: '127.0.0.1',
        method: target === 'dns' ? 'dns' : 'tcp',
        at,
        sent: 4,
        received,
        rttMs: received ? rtt : null,
        minMs: received ? rtt * 0.8 : null,
        maxMs: received ? rtt * 1.4 : null,
        jitterMs: received ? rtt * 0.1 : null,
        ...(received ? {} : { error: 'timeout' }),
      });
    }
  }
  return out;
}

const wifiLink = (at: number): NetLink => ({
  at,
  interface: 'wlan0',
  subnet: '10.3.1.0/24',
  kind: 'wifi',
  wifi: { ssid: 'Corp-F3', bssid: '3c:84:6a:12:9e:40', signalDbm: -58, rateMbps: 866.7, channel: 44, band: '5' },
  errors: { rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 },
  vpn: { up: false, name: null },
});

function send(samples: NetSample[], bandwidth: NetBandwidth[]): Promise<void>[] {
  const acks: Promise<void>[] = [];
  for (let i = 0; i * 200 < Math.max(samples.length, 1); i += 1) {
    const batchId = randomUUID();
    peer.send({
      type: 'netmon.batch',
      batchId,
      samples: samples.slice(i * 200, (i + 1) * 200),
      links: i === 0 && samples.length > 0 ? [wifiLink(samples.at(-1)!.at)] : [],
      bandwidth: i === 0 ? bandwidth : [],
    });
    acks.push(peer.next('netmon.ack').then((ack) => expect(ack.batchId).toBe(batchId)));
  }
  return acks;
}

async function signIn(p: Page): Promise<void> {
  await p.getByLabel('Email').fill(ADMIN.email);
  await p.getByLabel('Password').fill(ADMIN.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

async function seriousA11y(p: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test.beforeAll(async ({ browser }) => {
  dataDir = await mkdtemp(join(tmpdir(), 'deskside-e2e-netrec-'));
  consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-console-'));
  certDir = await mkdtemp(join(tmpdir(), 'deskside-netrec-tls-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  server = await startServer({ dataDir, env: { DESKSIDE_CONSOLE_DIR: consoleCopy } });
  staff = await staffClient(server.url);

  // The checks first: they gather runs (every 10 s) while the rest is set up.
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '5', '-subj', '/CN=intranet.corp.test'],
      ...['-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')],
    ],
    { stdio: 'ignore' },
  );
  tlsServer = tls.createServer(
    { key: await readFile(join(certDir, 'key.pem')), cert: await readFile(join(certDir, 'cert.pem')) },
    (socket) => socket.end(),
  );
  const tlsPort = await listen(tlsServer);
  filePort = await freePort();
  await openFileServer();
  await put(
    '/api/v1/netmon/checks/file-server',
    { kind: 'tcp', label: 'File server', host: '127.0.0.1', port: filePort, intervalSeconds: 10, timeoutMs: 1000 },
    201,
  );
  await put(
    '/api/v1/netmon/checks/intranet-cert',
    {
      kind: 'tls',
      label: 'Intranet certificate',
      host: '127.0.0.1',
      port: tlsPort,
      verifyTls: false,
      intervalSeconds: 10,
    },
    201,
  );
  await put('/api/v1/netmon/settings', {
    plan: { intervalSeconds: 60, bandwidthEveryHours: 6 },
    retention: { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 },
  });

  device = await enroll(server.url, await createEnrollSecret(server.url), 'lt-ana-0311', {
    platform: 'linux',
    name: 'Ubuntu',
    version: '24.04',
  });
  peer = await openPeer(server.url, device.token);
  peer.send({ type: 'hello', cursor: 0, agentVersion: 'e2e' });
  await peer.next('welcome');
  const now = Date.now();
  const scheduled: NetBandwidth[] = [22, 16, 10, 4].map((h, i) => ({
    at: now - h * HOUR,
    downMbps: [412.4, 388.1, 236.9, 401.7][i]!,
    upMbps: [96.2, 91.5, 48.3, 94.8][i]!,
    bytes: 20_971_520,
    trigger: 'schedule',
  }));
  await Promise.all(send(day(now), scheduled));
  ticketId = (
    await fileTicket(server.url, device, {
      subject: 'Video calls keep freezing',
      description: 'Teams calls freeze every few minutes since this morning.',
      category: 'network',
      urgency: 'high',
      impact: 'medium',
      requester: { name: 'Ana Martin', email: 'ana.martin@example.com' },
      snapshot: { ...baselineSnapshot(device.hostname), collectedAt: new Date().toISOString() },
    })
  ).id;

  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  await page.goto(server.url);
  await signIn(page);
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
});

test.afterAll(async () => {
  peer?.ws.terminate();
  await context?.close();
  await server?.stop();
  fileServer?.close();
  tlsServer?.close();
  for (const dir of [dataDir, consoleCopy, certDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

test.afterEach(() => {
  expect(consoleErrors, 'no console errors').toEqual([]);
});

test('device: the latest bandwidth test, its history, and "Measure now" through the live channel', async () => {
  await expect
    .poll(
      async () =>
        (await staff.request<DeviceBandwidthDto>('GET', `/api/v1/devices/${device.id}/netmon/bandwidth`)).body.online,
    )
    .toBe(true);
  await page.goto(`${server.url}/devices/${device.id}`);
  const bw = page.getByRole('region', { name: 'Bandwidth to the help desk' });
  const latest = bw.getByRole('definition').first();
  await expect(latest).toHaveText('401.7 Mbit/s');
  await expect(bw.getByRole('table', { name: 'Bandwidth tests' }).getByRole('row')).toHaveCount(5);
  await expect(bw.getByText('Agents also test on their own every 6 h.')).toBeVisible();

  await bw.getByRole('button', { name: 'Measure now' }).click();
  const asked = await peer.next('netmon.measure');
  await expect(bw.getByRole('button', { name: 'Measuring…' })).toBeDisabled();
  // The agent's answer: a requested test in its next batch.
  await Promise.all(
    send([], [{ at: asked.requestedAt + 1_500, downMbps: 356.8, upMbps: 88.4, bytes: 20_971_520, trigger: 'request' }]),
  );
  await expect(latest).toHaveText('356.8 Mbit/s');
  await expect(bw.getByRole('button', { name: 'Measure now' })).toBeEnabled();
  await expect(bw.getByText('asked for', { exact: false }).first()).toBeVisible();
  // The section as a technician reads it: the last hour's charts (raw samples), then the bandwidth.
  const section = page.getByRole('region', { name: 'Network', exact: true });
  await section.getByRole('button', { name: 'Show the last hour' }).click();
  await expect(section.getByRole('figure', { name: 'Gateway' })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 1400 });
  await section.screenshot({ path: `${SHOTS}/console-network-bandwidth.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await seriousA11y(page)).toEqual([]);
});

test('ticket: the 24 hours kept with the ticket, one bar an hour, the quarter-hour outage red', async () => {
  await page.goto(`${server.url}/tickets/${ticketId}?tab=snapshot`);
  const card = page.getByRole('region', { name: 'Network in the 24 hours before the ticket' });
  await expect(card.getByText(/Kept with the ticket when it was filed/)).toBeVisible();
  const gateway = card.getByRole('listitem', { name: 'Gateway' });
  await expect(gateway.getByText('OK', { exact: true })).toBeVisible();
  await expect(gateway.getByText(/p95/)).toBeVisible();
  const bars = gateway.locator('.recharts-bar-rectangle path');
  await expect.poll(() => bars.count()).toBeGreaterThanOrEqual(24);
  expect(await bars.count()).toBeLessThanOrEqual(25);
  const fills = await bars.evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
  // The outage may straddle two clock hours: at least one of them is red.
  expect(fills).toContain('#c4302b');
  expect(fills).toContain('#18733f');
});

test('check history: state changes of a service that went down and came back, and a TLS certificate’s expiry', async () => {
  test.setTimeout(200_000);
  const history = async (slug: string) =>
    (await staff.request<CheckHistoryDto>('GET', `/api/v1/netmon/checks/${slug}/history`)).body;
  const runs = async (health: string) =>
    (await history('file-server')).recent.filter((r) => r.health === health).length;
  // Up for two runs, down for two, then up again.
  await expect.poll(() => runs('ok'), { timeout: 40_000 }).toBeGreaterThanOrEqual(2);
  await closeFileServer();
  await expect.poll(() => runs('down'), { timeout: 40_000 }).toBeGreaterThanOrEqual(2);
  await openFileServer();
  await expect.poll(async () => (await history('file-server')).changes.length, { timeout: 40_000 }).toBe(3);
  // A few runs more, so the chart reads as a history.
  await expect.poll(async () => (await history('file-server')).runs, { timeout: 60_000 }).toBeGreaterThanOrEqual(7);

  await page.goto(`${server.url}/network`);
  await page.getByRole('table', { name: 'Server-side checks' }).getByRole('link', { name: 'File server' }).click();
  await expect(page.getByRole('heading', { name: 'File server', level: 1 })).toBeVisible();
  const changes = page.getByRole('table', { name: 'State changes' });
  await expect(changes.getByRole('row')).toHaveCount(4);
  await expect(changes.getByRole('row').nth(1)).toContainText('OK');
  await expect(changes.getByRole('row').nth(1)).toContainText('(so far)');
  await expect(changes.getByRole('row').nth(2)).toContainText('Down');
  await expect(page.getByRole('img', { name: /The last \d+ runs: [2-9] down/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/console-network-check-history.png`, fullPage: true });
  expect(await seriousA11y(page)).toEqual([]);

  await page.goto(`${server.url}/network/checks/intranet-cert`);
  await expect(page.getByText(/\(4 days left\)|\(5 days left\)/)).toBeVisible();
  await expect(page.getByText('Degraded', { exact: true }).first()).toBeVisible();
});
