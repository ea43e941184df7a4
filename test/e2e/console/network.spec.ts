import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetLink, NetSample } from '../../../src/shared/netmon/netmon';
import { freePort } from '../../helpers/server-process';
import { openPeer } from '../../server/channel-client';
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
 * Network monitoring in the console (issue 14), end to end: a real server (built CLI, SQLite), four
 * enrolled devices that send a day of probe results as `netmon.batch` frames over the real live channel,
 * IT's sites and plan and two server-side checks through the API. The server is restarted on the same
 * data so its job's first pass rolls the day into 5-minute and hourly buckets at once (instead of the
 * test waiting for the next minute's pass). Then, in Chromium: the device's charts (plotted SVG paths, at
 * 24 h and 1 h), the ticket's 24 hours and who else is affected, the fleet grid (numbers on hover and
 * focus; live over the staff event stream) and Settings → Network. Any console error fails the run.
 */

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
const shot = (name: string) => `${SHOTS}/console-network-${name}.png`;
const MIN = 60_000;
const HOUR = 60 * MIN;
const OS = { platform: 'linux', name: 'Ubuntu', version: '24.04' } as const;

let dataDir: string;
let consoleCopy: string;
let server: RunningServer;
let staff: StaffClient;
let context: BrowserContext;
let page: Page;
const devices: Record<'ana' | 'ben' | 'lyon' | 'guest', Device> = {} as never;
let ticketId = 0;
const consoleErrors: string[] = [];

/** A small deterministic noise, so the charts look like a network and every run draws the same. */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43_758.5453;
  return x - Math.floor(x);
}

interface Profile {
  /** Typical round trip per target, ms. */
  base: Record<string, number>;
  /** [from, to) ms before now where a target lost answers: received of 4, and the round trip then. */
  trouble: { target: string; from: number; to: number; received: number; rttMs: number }[];
  link: (at: number) => NetLink;
}

function samplesOf(profile: Profile, now: number, seed: number): NetSample[] {
  const out: NetSample[] = [];
  const times: number[] = [];
  for (let t = now - 24 * HOUR + 2 * MIN; t < now - HOUR; t += 5 * MIN) times.push(t);
  for (let t = now - HOUR + 30_000; t < now - 20_000; t += MIN) times.push(t);
  for (const at of times) {
    const hourOfDay = new Date(at).getHours();
    const busy = hourOfDay >= 9 && hourOfDay <= 17 ? 1.6 : 1;
    for (const [target, base] of Object.entries(profile.base)) {
      const i = out.length + seed * 100_000;
      const trouble = profile.trouble.find((x) => x.target === target && at >= now - x.from && at < now - x.to);
      const received = trouble ? trouble.received : noise(i) > 0.985 ? 3 : 4;
      const rtt = trouble ? trouble.rttMs : base * busy * (0.8 + noise(i + 1) * 0.5);
      const answered = received > 0;
      out.push({
        target,
        address: '127.0.0.1',
        method: target === 'dns' ? 'dns' : 'tcp',
        at,
        sent: 4,
        received,
        rttMs: answered ? Math.round(rtt * 100) / 100 : null,
        minMs: answered ? Math.round(rtt * 0.7 * 100) / 100 : null,
        maxMs: answered ? Math.round(rtt * 1.5 * 100) / 100 : null,
        jitterMs: answered ? Math.round(rtt * 0.15 * (0.5 + noise(i + 2)) * 100) / 100 : null,
        ...(answered ? {} : { error: 'timeout' }),
      });
    }
  }
  return out;
}

function linksOf(profile: Profile, now: number): NetLink[] {
  const out: NetLink[] = [];
  for (let t = now - 24 * HOUR + 3 * MIN; t < now; t += 10 * MIN) out.push(profile.link(t));
  return out;
}

const wifi = (ssid: string, subnet: string | null, seed: number) => (at: number) => ({
  at,
  interface: 'wlan0',
  subnet,
  kind: 'wifi' as const,
  wifi: {
    ssid,
    bssid: '3c:84:6a:12:9e:40',
    signalDbm: Math.round(-52 - 14 * noise(at / 600_000 + seed) - (new Date(at).getHours() === 11 ? 14 : 0)),
    rateMbps: 866.7,
    channel: 44,
    band: '5' as const,
  },
  errors: { rxErrors: 0, txErrors: 0, rxDropped: Math.round(noise(at) * 3), txDropped: 0 },
  vpn: { up: false, name: null },
});

/** Sends a device's day over the live channel, in frames the protocol allows, each acknowledged. */
async function sendDay(device: Device, samples: NetSample[], links: NetLink[]): Promise<void> {
  const peer = await openPeer(server.url, device.token);
  try {
    peer.send({ type: 'hello', cursor: 0, agentVersion: 'e2e' });
    await peer.next('welcome');
    for (let i = 0; i * 200 < samples.length || i * 60 < links.length; i += 1) {
      const batchId = randomUUID();
      peer.send({
        type: 'netmon.batch',
        batchId,
        samples: samples.slice(i * 200, (i + 1) * 200),
        links: links.slice(i * 60, (i + 1) * 60),
        bandwidth: [],
      });
      expect((await peer.next('netmon.ack')).batchId).toBe(batchId);
    }
  } finally {
    peer.ws.terminate();
  }
}

async function put(path: string, body: unknown, status = 200): Promise<void> {
  const res = await staff.request('PUT', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}

async function signIn(p: Page): Promise<void> {
  await p.getByLabel('Email').fill(ADMIN.email);
  await p.getByLabel('Password').fill(ADMIN.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

test.beforeAll(async ({ browser }) => {
  dataDir = await mkdtemp(join(tmpdir(), 'deskside-e2e-netmon-'));
  consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-console-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  const env = { DESKSIDE_CONSOLE_DIR: consoleCopy };
  server = await startServer({ dataDir, env });
  staff = await staffClient(server.url);
  const secret = await createEnrollSecret(server.url);
  devices.ana = await enroll(server.url, secret, 'lt-ana-0311', OS);
  devices.ben = await enroll(server.url, secret, 'lt-ben-0207', OS);
  devices.lyon = await enroll(server.url, secret, 'ws-lyon-12', OS);
  devices.guest = await enroll(server.url, secret, 'mb-visitor-4', OS);

  await put('/api/v1/netmon/sites', {
    sites: [
      { slug: 'floor-3', name: 'Paris · Floor 3', subnets: ['10.3.0.0/16'], ssids: ['Corp-F3'] },
      { slug: 'lyon', name: 'Lyon office', subnets: ['10.20.0.0/16'], ssids: [] },
    ],
  });
  await put('/api/v1/netmon/settings', {
    plan: {
      intervalSeconds: 60,
      targets: [{ slug: 'mail', label: 'Mail (SMTP)', method: 'tcp', host: 'mail.example.com', port: 587 }],
    },
    retention: { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 },
  });

  const now = Date.now();
  const base = { gateway: 2.4, dns: 11, server: 18, 'it:mail': 34 };
  const profiles: Record<keyof typeof devices, Profile> = {
    // Mail is failing on Floor 3 now; Ana's gateway dropped out for a quarter of an hour this morning.
    ana: {
      base,
      trouble: [
        { target: 'it:mail', from: 25 * MIN, to: 0, received: 2, rttMs: 420 },
        { target: 'gateway', from: 6 * HOUR, to: 6 * HOUR - 15 * MIN, received: 0, rttMs: 0 },
      ],
      link: wifi('Corp-F3', '10.3.1.0/24', 1),
    },
    ben: {
      base: { ...base, gateway: 3.1 },
      trouble: [{ target: 'it:mail', from: 25 * MIN, to: 0, received: 2, rttMs: 390 }],
      link: wifi('Corp-F3', '10.3.2.0/24', 2),
    },
    lyon: {
      base: { ...base, server: 26, 'it:mail': 41 },
      trouble: [],
      link: (at) => ({
        at,
        interface: 'eno1',
        subnet: '10.20.4.0/24',
        kind: 'ethernet',
        wifi: null,
        errors: null,
        vpn: { up: true, name: 'Corp VPN' },
      }),
    },
    guest: {
      base: { ...base, dns: 60 },
      trouble: [{ target: 'gateway', from: 12 * MIN, to: 0, received: 0, rttMs: 0 }],
      link: wifi('Guest', null, 3),
    },
  };
  let seed = 0;
  for (const [name, profile] of Object.entries(profiles) as [keyof typeof devices, Profile][])
    await sendDay(devices[name], samplesOf(profile, now, (seed += 1)), linksOf(profile, now));

  const filed = await fileTicket(server.url, devices.ana, {
    subject: 'Outlook cannot send mail',
    description: 'Messages stay in the outbox since this morning.',
    category: 'email',
    urgency: 'high',
    impact: 'medium',
    requester: { name: 'Ana Martin', email: 'ana.martin@example.com' },
    snapshot: { ...baselineSnapshot(devices.ana.hostname), collectedAt: new Date().toISOString() },
  });
  ticketId = filed.id;

  // The same data, a new process: its job's first pass rolls the day up.
  await server.stop();
  server = await startServer({ dataDir, env });
  staff = await staffClient(server.url);
  const closed = await freePort();
  await put(
    '/api/v1/netmon/checks/helpdesk',
    {
      kind: 'http',
      label: 'Help desk',
      scheme: 'http',
      host: '127.0.0.1',
      port: Number(new URL(server.url).port),
      path: '/healthz',
      intervalSeconds: 10,
    },
    201,
  );
  await put(
    '/api/v1/netmon/checks/old-intranet',
    {
      kind: 'tcp',
      label: 'Old intranet',
      host: '127.0.0.1',
      port: closed,
      intervalSeconds: 10,
      timeoutMs: 1000,
    },
    201,
  );

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
  await context?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(consoleCopy, { recursive: true, force: true });
});

test.afterEach(() => {
  expect(consoleErrors, 'no console errors').toEqual([]);
});

/** Serious or critical WCAG 2.1 A/AA findings of axe on the page. */
async function seriousA11y(p: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The `d` attributes of a chart's plotted lines (recharts draws each series as a path). */
async function plotted(scope: ReturnType<Page['locator']>, selector = 'path.recharts-line-curve'): Promise<string[]> {
  return scope.locator(selector).evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
}

test('device: latency, loss and jitter per target and the Wi-Fi signal, zoomed to 24 h and 1 h, with the latest link', async () => {
  await page.goto(`${server.url}/devices/${devices.ana.id}`);
  const section = page.getByRole('region', { name: 'Network', exact: true });
  await expect(section.getByRole('button', { name: 'Show the last 24 hours' })).toHaveAttribute('aria-pressed', 'true');
  await expect(section.getByText('5-minute averages over the last 24 hours')).toBeVisible();
  for (const target of ['Gateway', 'DNS resolvers', 'Help-desk server', 'Mail (SMTP)'])
    await expect(section.getByRole('figure', { name: target })).toBeVisible();
  // Every target's round trip and jitter are plotted: long paths, not empty ones.
  const server24 = await plotted(section.getByRole('figure', { name: 'Help-desk server' }));
  expect(server24).toHaveLength(2);
  for (const d of server24) expect(d.length).toBeGreaterThan(200);
  // Mail is degraded now on this device (loss and 420 ms).
  await expect(section.getByRole('figure', { name: 'Mail (SMTP)' }).getByText('Now: Degraded')).toBeVisible();
  const signal = await plotted(section.getByRole('img', { name: /Wi-Fi signal over the last 24 hours/ }));
  expect(signal.some((d) => d.length > 200)).toBe(true);
  // The latest link.
  for (const fact of ['Corp-F3', '3c:84:6a:12:9e:40', '866.7 Mbit/s', '44 (5 GHz)', '10.3.1.0/24', 'Paris · Floor 3'])
    await expect(section.getByText(fact, { exact: true })).toBeVisible();
  await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: shot('device') });
  expect(await seriousA11y(page)).toEqual([]);

  await section.getByRole('button', { name: 'Show the last hour' }).click();
  await expect(section.getByText('every sample over the last hour')).toBeVisible();
  const gateway1h = await plotted(section.getByRole('figure', { name: 'Gateway' }));
  expect(gateway1h.every((d) => d.length > 100)).toBe(true);
  await section.getByRole('button', { name: 'Show the last 7 days' }).click();
  await expect(section.getByText('hourly averages over the last 7 days')).toBeVisible();
  expect((await plotted(section.getByRole('figure', { name: 'DNS resolvers' }))).some((d) => d.length > 50)).toBe(true);
  // 90 d: 6-hour points merged from the hourly rollups (a day of data here: a few points per target).
  await section.getByRole('button', { name: 'Show the last 90 days' }).click();
  await expect(section.getByText('6-hour averages over the last 90 days')).toBeVisible();
  expect((await plotted(section.getByRole('figure', { name: 'DNS resolvers' }))).some((d) => d.length > 20)).toBe(true);
  await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: shot('device-90d') });
});

test('ticket: the network in the 24 hours before it beside the snapshot, and who else is affected', async () => {
  await page.goto(`${server.url}/tickets/${ticketId}?tab=snapshot`);
  const card = page.getByRole('region', { name: 'Network in the 24 hours before the ticket' });
  const mail = card.getByRole('listitem', { name: 'Mail (SMTP)' });
  await expect(mail.getByText('Degraded')).toBeVisible();
  await expect(card.getByRole('listitem', { name: 'Gateway' }).getByText('OK')).toBeVisible();
  // Kept with the ticket when it was filed: one bar an hour, coloured by health; the morning's gateway outage is red.
  await expect(card.getByText(/Kept with the ticket when it was filed/)).toBeVisible();
  const bars = card.getByRole('listitem', { name: 'Gateway' }).locator('.recharts-bar-rectangle path');
  expect(await bars.count()).toBeGreaterThanOrEqual(23);
  const fills = await bars.evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
  expect(fills).toContain('#c4302b');
  expect(fills).toContain('#18733f');
  const affected = card.getByRole('list', { name: 'Other affected devices' });
  await expect(affected.getByRole('listitem', { name: 'lt-ben-0207' })).toContainText('same site and same target');
  await expect(affected.getByRole('listitem')).toHaveCount(1);
  await page.screenshot({ path: shot('ticket') });
  expect(await seriousA11y(page)).toEqual([]);
});

test('fleet: targets × sites coloured by health with numbers on hover and focus, and the server-side checks, live', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Network' }).click();
  await expect(page.getByRole('heading', { name: 'Network', level: 1 })).toBeVisible();
  const grid = page.getByRole('table', { name: 'Targets by site' });
  for (const site of ['Paris · Floor 3', 'Lyon office', 'Wi-Fi “Guest”'])
    await expect(grid.getByRole('columnheader', { name: site })).toBeVisible();
  const mailFloor3 = grid.getByRole('button', { name: /^Mail \(SMTP\) at Paris · Floor 3: Degraded/ });
  await expect(mailFloor3).toHaveAccessibleName(/2 devices: 0 ok, 2 degraded, 0 down/);
  await expect(grid.getByRole('button', { name: /^Gateway at Wi-Fi “Guest”: Down/ })).toBeVisible();
  await expect(grid.getByRole('button', { name: /^Help-desk server at Lyon office: OK/ })).toBeVisible();
  await mailFloor3.focus();
  await expect(page.getByRole('tooltip').filter({ hasText: '0 ok · 2 degraded · 0 down' })).toBeVisible();
  // The checks the server runs itself: its own health answers, a closed port does not.
  const checks = page.getByRole('table', { name: 'Server-side checks' });
  await expect(checks.getByRole('row', { name: /Help desk/ }).getByText('OK')).toBeVisible({ timeout: 20_000 });
  await expect(checks.getByRole('row', { name: /Old intranet/ }).getByText('Down')).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: shot('fleet') });
  expect(await seriousA11y(page)).toEqual([]);
  // Live: a check IT adds elsewhere appears without a reload (the staff event stream).
  await put(
    '/api/v1/netmon/checks/wiki',
    { kind: 'tcp', label: 'Wiki', host: '127.0.0.1', port: 9, intervalSeconds: 3600 },
    201,
  );
  await expect(checks.getByRole('row', { name: /Wiki/ })).toBeVisible();
});

test('settings: the probe plan with an IT target added, retention, sites and server-side checks', async () => {
  await page.goto(`${server.url}/admin/settings/network`);
  const plan = page.getByRole('form', { name: 'Probe plan' });
  await expect(plan.getByLabel('Interval')).toHaveValue('60');
  await expect(plan.getByLabel('Target 1 name')).toHaveValue('Mail (SMTP)');
  await plan.getByRole('button', { name: 'Add a target' }).click();
  await plan.getByLabel('Target 2 id').fill('intranet');
  await plan.getByLabel('Target 2 name').fill('Intranet');
  await plan.getByLabel('Target 2 method').selectOption('http');
  await plan.getByLabel('Target 2 host').fill('intranet.example.com');
  await plan.getByLabel('Target 2 path').fill('/status');
  await plan.getByLabel('Interval').fill('30');
  await plan.getByRole('button', { name: 'Save probe plan and retention' }).click();
  await expect(plan.getByRole('status')).toContainText('Network settings saved');
  const saved = await staff.request<{ plan: { intervalSeconds: number; targets: unknown[] } }>(
    'GET',
    '/api/v1/netmon/settings',
  );
  expect(saved.body.plan.intervalSeconds).toBe(30);
  expect(saved.body.plan.targets).toContainEqual({
    slug: 'intranet',
    label: 'Intranet',
    method: 'http',
    scheme: 'https',
    host: 'intranet.example.com',
    path: '/status',
  });
  await expect(page.getByRole('form', { name: 'Sites' }).getByLabel('Site 1 subnets')).toHaveValue('10.3.0.0/16');
  await expect(
    page.getByRole('region', { name: 'Server-side checks' }).getByRole('listitem', { name: 'Old intranet' }),
  ).toBeVisible();
  // The plan, its IT targets and the retention in one picture.
  await page.setViewportSize({ width: 1280, height: 1480 });
  await page.getByRole('heading', { name: 'Settings', level: 1 }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('settings') });
  // The sites and the server-side checks, below the plan.
  await page.getByRole('form', { name: 'Sites' }).screenshot({ path: shot('settings-sites') });
  await page.getByRole('region', { name: 'Server-side checks' }).screenshot({ path: shot('settings-checks') });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await seriousA11y(page)).toEqual([]);
});

test('settings: an alert rule added from the form, listed with its condition, switched off and deleted', async () => {
  await page.goto(`${server.url}/admin/settings/alert-rules`);
  const form = page.getByRole('form', { name: 'New alert rule' });
  await form.getByRole('textbox', { name: 'Name' }).fill('Floor 3 loss');
  await form.getByRole('spinbutton', { name: 'Threshold', exact: true }).fill('10');
  await form.getByRole('textbox', { name: 'Site (optional; every site when empty)' }).fill('site:floor-3');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByRole('status')).toHaveText('Rule “Floor 3 loss” added.');
  const rules = page.getByRole('list', { name: 'Alert rules' });
  const rule = rules.getByRole('listitem', { name: 'Floor 3 loss' });
  await expect(rule).toContainText('loss above 10 % over 5 min');
  await expect(form.getByRole('textbox', { name: 'Name' })).toHaveValue('');
  // The checkbox saves at once; the list shows the server's answer.
  await rule.getByRole('checkbox', { name: 'Enabled' }).click();
  await expect(rule.getByRole('checkbox', { name: 'Enabled' })).not.toBeChecked();
  const saved = await staff.request<{ rules: Array<{ name: string; enabled: boolean; site: string | null }> }>(
    'GET',
    '/api/v1/netmon/alert-rules',
  );
  expect(saved.body.rules).toContainEqual(
    expect.objectContaining({ name: 'Floor 3 loss', enabled: false, site: 'site:floor-3' }),
  );
  await page.setViewportSize({ width: 1280, height: 1540 });
  await page.screenshot({ path: shot('alert-rules') });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await seriousA11y(page)).toEqual([]);
  await rule.getByRole('button', { name: 'Delete Floor 3 loss' }).click();
  await expect(rule).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Rule “Floor 3 loss” deleted.');
});
