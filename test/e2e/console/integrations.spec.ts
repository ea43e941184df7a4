import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN, createEnrollSecret, startServer, staffClient, type RunningServer } from '../support/server';
import { enroll, fileTicket } from './support-agent';

/*
 * Settings → Webhooks and API tokens, and the profile's personal tokens, in Chromium against a real server
 * (built CLI, SQLite) and a real receiver on 127.0.0.1: a Slack webhook made in the form (secret shown
 * once) gets "P1 ticket from lt-jdoe-0042: VPN down" when a device files that ticket; a generic receiver
 * that answers 500 shows its failures in the delivery log and takes a retry; a service token made in the
 * tab works as a bearer token at once; a personal token is made and revoked on the profile page.
 */

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

let server: RunningServer;
let receiver: Server;
let hookBase: string;
let context: BrowserContext;
let page: Page;
const received: { path: string; body: string }[] = [];
/** The generic receiver refuses its first deliveries (a 500 with a body), then accepts. */
let siemFailures = 3;
const consoleErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body });
      if (req.url === '/siem' && siemFailures > 0) {
        siemFailures--;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"index unavailable"}');
      } else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  server = await startServer();
  context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${server.url}/`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
  await new Promise((r) => receiver?.close(r));
});

test('a Slack webhook made in Settings posts the new P1 ticket to its channel', async () => {
  await page.goto(`${server.url}/admin/settings/webhooks`);
  await expect(page.getByText('No webhooks yet.')).toBeVisible();
  await page.getByRole('button', { name: 'New webhook' }).click();
  const form = page.getByRole('form', { name: 'New webhook' });
  await form.getByLabel('Name').fill('#helpdesk on Slack');
  await form.getByLabel('Format').selectOption('slack');
  await form.getByLabel('URL').fill(`${hookBase}/slack`);
  await form.getByRole('checkbox', { name: /ticket\.replied/ }).check();
  await form.getByRole('button', { name: 'Create webhook' }).click();
  const secret = page.getByTestId('shown-once');
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9_-]{43}$/);
  await page.getByRole('button', { name: 'Done, hide it' }).click();
  await expect(page.getByTestId('shown-once')).toHaveCount(0);

  // A second, generic receiver (made over the API) that fails at first; and a Teams one, paused.
  const staff = await staffClient(server.url);
  const siem = await staff.request('POST', '/api/v1/webhooks', {
    name: 'SIEM (signed JSON)',
    url: `${hookBase}/siem`,
    format: 'generic',
    events: ['ticket.created', 'ticket.status_changed', 'sla.breached', 'device.enrolled'],
  });
  expect(siem.status).toBe(201);
  await staff.request('POST', '/api/v1/webhooks', {
    name: 'IT team on Teams',
    url: 'https://example.invalid/webhookb2/deskside',
    format: 'teams',
    events: ['sla.warning', 'sla.breached', 'alert.firing', 'alert.resolved'],
    active: false,
  });

  const secretForDevices = await createEnrollSecret(server.url);
  const device = await enroll(server.url, secretForDevices, 'lt-jdoe-0042', {
    platform: 'win32',
    name: 'Windows 11 Pro',
    version: '23H2',
  });
  await fileTicket(server.url, device, {
    subject: 'VPN down',
    description: 'The VPN client says "gateway unreachable" since 9:00.',
    category: 'network',
    urgency: 'high',
    impact: 'high',
  });
  // The job reads the ticket's history and posts it (no one calls in).
  await expect
    .poll(() => received.find((r) => r.path === '/slack')?.body ?? '', { timeout: 20_000 })
    .toContain('P1 ticket from lt-jdoe-0042: VPN down');
  const slack = JSON.parse(received.find((r) => r.path === '/slack')!.body) as { text: string; blocks: unknown[] };
  expect(slack.blocks.length).toBeGreaterThan(1);

  await page.reload();
  const row = page.getByRole('row', { name: /#helpdesk on Slack/ });
  await expect(row.getByText('200')).toBeVisible();
  await row.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByRole('status')).toContainText('Test event delivered to “#helpdesk on Slack” (HTTP 200');
  await page.getByRole('button', { name: 'Deliveries' }).first().click();
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'New webhook' }).click();
  await page.getByRole('form', { name: 'New webhook' }).getByLabel('Name').fill('#it-alerts on Slack');
  await page.evaluate('window.scrollTo(0, 0)');
  // Tall enough for the whole page, so the sidebar runs the full height (a full-page shot would cut it).
  await page.setViewportSize({ width: 1440, height: 1180 });
  await page.screenshot({ path: `${SHOTS}/console-settings-webhooks.png` });
  await page.setViewportSize({ width: 1440, height: 960 });
  await page.getByRole('button', { name: 'Cancel' }).click();
});

test('the delivery log shows failures with the answer, and a retry delivers', async () => {
  await expect.poll(() => received.filter((r) => r.path === '/siem').length, { timeout: 20_000 }).toBeGreaterThan(0);
  const row = page.getByRole('row', { name: /SIEM \(signed JSON\)/ });
  await row.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByRole('status')).toContainText('failed: HTTP 500');
  const log = page.getByRole('region', { name: 'Deliveries of SIEM (signed JSON)' });
  await expect(log.getByRole('row')).toHaveCount(4);
  await expect(log.getByText('{"error":"index unavailable"}').first()).toBeVisible();
  await log
    .getByRole('row', { name: /ticket\.created/ })
    .getByRole('button', { name: 'Retry now' })
    .click();
  await expect(page.getByRole('status')).toContainText('Redelivered (HTTP 200)');
  await expect(log.getByText('Delivered').first()).toBeVisible();
  await expect(log.getByRole('row')).toHaveCount(4);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize({ width: 1440, height: 1080 });
  await page.screenshot({ path: `${SHOTS}/console-settings-webhook-deliveries.png` });
  await page.setViewportSize({ width: 1440, height: 960 });
});

test('a service token made in Settings works as a bearer token; a personal one is made and revoked', async () => {
  await page.goto(`${server.url}/admin/settings/api-tokens`);
  const form = page.getByRole('form', { name: 'Create a service token' });
  await form.getByLabel('Name').fill('monitoring-bridge');
  await form.getByRole('checkbox', { name: /reports:read/ }).check();
  await form.getByLabel('Expires').selectOption('never');
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('shown-once').textContent()) ?? '';
  expect(token).toMatch(/^dsk_/);
  const api = await fetch(`${server.url}/api/v1/tickets`, { headers: { authorization: `Bearer ${token}` } });
  expect(api.status).toBe(200);
  const refused = await fetch(`${server.url}/api/v1/devices`, { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status).toBe(403);
  await page.getByRole('button', { name: 'Done, hide it' }).click();
  const staff = await staffClient(server.url);
  await staff.request('POST', '/api/v1/service-tokens', {
    name: 'ci-ticket-sync',
    scopes: ['tickets:read', 'tickets:write'],
    expiresInDays: 90,
  });
  await page.reload();
  const table = page.getByRole('table', { name: 'Service API tokens' });
  await expect(table.getByText('token:monitoring-bridge')).toBeVisible();
  await expect(table.getByRole('row', { name: /monitoring-bridge/ })).not.toContainText('Never used');
  await page.screenshot({ path: `${SHOTS}/console-settings-api-tokens.png`, fullPage: true });

  await page.getByRole('link', { name: 'Profile', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  const mine = page.getByRole('form', { name: 'Create a personal token' });
  await mine.getByLabel('Name').fill('queue dashboard');
  await mine.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('shown-once')).toHaveText(/^dsk_/);
  await page.getByRole('button', { name: 'Done, hide it' }).click();
  const personal = page.getByRole('table', { name: 'Personal API tokens' });
  await personal.getByRole('button', { name: 'Revoke' }).click();
  await personal.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(personal.getByText(/^Revoked/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/console-profile-api-tokens.png`, fullPage: true });
  expect(consoleErrors).toEqual([]);
});
