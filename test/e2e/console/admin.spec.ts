import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthySnapshot } from '../../fixtures/snapshot-factory';
import { rootFull } from '../../server/ticket-helpers';
import {
  ADMIN,
  createEnrollSecret,
  startServer,
  staffClient,
  type RunningServer,
  type StaffClient,
} from '../support/server';

/*
 * The IT admin pages through the real console shell against a real server: sign in at /, reach each
 * admin page from the navigation, do the admin's job there, and check the effect through the API the
 * agents use. Every page must load without a console error; each screen is captured at 1280×800.
 */

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let consoleCopy: string;
let staff: StaffClient;
let secret: string;
const errors: string[] = [];

interface Device {
  id: string;
  headers: Record<string, string>;
}

async function enroll(
  url: string,
  enrollSecret: string,
  platform = 'linux',
): Promise<{ status: number; device: Device | null }> {
  const res = await fetch(`${url}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      enrollSecret,
      machineId: `e2e-${randomUUID()}`,
      hostname: 'lt-e2e',
      os: { platform, name: 'Ubuntu', version: '24.04' },
      agentVersion: '0.1.0',
    }),
  });
  const body = (await res.json()) as { deviceId: string; deviceToken: string };
  return {
    status: res.status,
    device: res.status === 201 ? { id: body.deviceId, headers: { authorization: `Bearer ${body.deviceToken}` } } : null,
  };
}

async function asDevice<T>(
  device: Device,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...device.headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': `e2e_${randomUUID()}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function fileTicket(device: Device, category: string, subject: string, withFullDisk = false): Promise<number> {
  const res = await asDevice<{ id: number }>(device, 'POST', '/api/v1/tickets', {
    subject,
    description: 'Filed by the admin console test.',
    category,
    urgency: 'high',
    impact: 'medium',
    requester: { name: 'Dana Whitfield', email: 'dana@example.com' },
    ...(withFullDisk ? { snapshot: rootFull(healthySnapshot(), 97) } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function signIn(page: Page, credentials: { email: string; password: string } = ADMIN): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

async function openFromNav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
}

// README screenshots are refreshed only with DESKSIDE_SCREENSHOTS=1; plain runs write to test-results/.
const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

async function shoot(page: Page, screen: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: `${SHOTS}/console-admin-${screen}.png` });
}

test.beforeAll(async () => {
  // The server serves a private copy of the console build, so a concurrent rebuild of dist/ cannot pull it away mid-test.
  consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-admin-console-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  server = await startServer({ env: { DESKSIDE_CONSOLE_DIR: consoleCopy } });
  staff = await staffClient(server.url);
  secret = await createEnrollSecret(server.url, 'e2e fleet');
});

test.afterAll(async () => {
  await server?.stop();
  if (consoleCopy) await rm(consoleCopy, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  errors.length = 0;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // No exceptions: the signed-out session probe answers 200, so nothing is logged before sign-in either.
    errors.push(`console: ${message.text()} at ${message.location().url}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
});

test.afterEach(() => {
  expect(errors, 'console errors').toEqual([]);
});

test('writes and publishes an article with a live preview, and agents receive it', async ({ page }) => {
  await signIn(page);
  await openFromNav(page, 'Knowledge base');
  await expect(page.getByRole('heading', { name: 'Knowledge base' })).toBeVisible();
  await page.getByRole('link', { name: 'New article' }).click();

  await page.getByLabel('Title').fill('Free up disk space');
  await page
    .getByLabel('Body (Markdown)')
    .fill(
      '## Steps\n\n1. Empty the **Trash**\n2. Remove old downloads\n\n| Folder | Typical size |\n| --- | --- |\n| Downloads | 12 GB |',
    );
  const preview = page.getByTestId('article-preview');
  await expect(preview.getByRole('heading', { name: 'Steps' })).toBeVisible();
  await expect(preview.locator('strong')).toHaveText('Trash');
  await expect(preview.getByRole('table')).toContainText('Downloads');
  await page.getByLabel('Tags (comma-separated; findings suggest articles by tag too)').fill('disk-space, storage');
  await page.getByRole('checkbox', { name: 'disk.almost_full' }).check();
  await page.getByRole('checkbox', { name: 'Linux' }).check();
  await page.getByRole('button', { name: 'Save and publish' }).click();
  await expect(page.getByRole('status')).toContainText('Saved and published');
  await expect(page).toHaveURL(/\/admin\/articles\/\d+$/);
  await expect(page.getByText('Published', { exact: true })).toBeVisible();
  await shoot(page, 'article-editor');

  // A Linux device gets it through the agent sync endpoint.
  const { device } = await enroll(server.url, secret);
  const sync = await asDevice<{ articles: Array<{ title: string; tags: string[]; findingCodes: string[] }> }>(
    device!,
    'GET',
    '/api/v1/articles/sync?since=0',
  );
  expect(sync.status).toBe(200);
  expect(sync.body.articles).toEqual([
    expect.objectContaining({
      title: 'Free up disk space',
      tags: ['disk-space', 'storage'],
      findingCodes: ['disk.almost_full'],
    }),
  ]);

  // A draft stays off the agents.
  await page.getByRole('link', { name: 'Back to articles' }).click();
  await page.getByRole('link', { name: 'New article' }).click();
  await page.getByLabel('Title').fill('VPN troubleshooting (draft)');
  await page.getByLabel('Body (Markdown)').fill('Work in progress.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status')).toContainText('Saved as a draft');
  const again = await asDevice<{ articles: Array<{ title: string }> }>(device!, 'GET', '/api/v1/articles/sync?since=0');
  expect(again.body.articles.map((a) => a.title)).toEqual(['Free up disk space']);

  await page.getByRole('link', { name: 'Back to articles' }).click();
  const table = page.getByRole('table', { name: 'Articles' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /Free up disk space/ })).toContainText('Published');
  await expect(table.getByRole('row', { name: /VPN troubleshooting/ })).toContainText('Draft');
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('disk');
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search articles' }).fill('');
  await expect(table.getByRole('row')).toHaveCount(3);
  await shoot(page, 'articles');

  // Deleting asks first; cancelling keeps it, confirming removes it.
  await table.getByRole('link', { name: 'VPN troubleshooting (draft)' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page).toHaveURL(/\/admin\/articles$/);
  await expect(table.getByRole('row')).toHaveCount(2);
  const listed = await staff.request<{ articles: Array<{ title: string }> }>('GET', '/api/v1/articles');
  expect(listed.body.articles.map((a) => a.title)).toEqual(['Free up disk space']);
});

test('composes an announcement that is live at once on the agents', async ({ page }) => {
  await signIn(page);
  await openFromNav(page, 'Announcements');
  const form = page.getByRole('form', { name: 'New announcement' });
  await form.getByLabel('Title').fill('Mail is down');
  await form.getByLabel('Message (Markdown)').fill('Outlook cannot connect. **We are on it**; next update at 11:00.');
  await form.getByLabel('Severity').selectOption('critical');
  await form.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status')).toContainText('is live');
  const item = page.getByRole('listitem', { name: 'Mail is down' });
  await expect(item).toContainText('Live now');
  await expect(item).toContainText('critical');

  const { device } = await enroll(server.url, secret);
  const sync = await asDevice<{ announcements: Array<{ title: string; severity: string }> }>(
    device!,
    'GET',
    '/api/v1/announcements/sync?since=0',
  );
  expect(sync.body.announcements).toEqual([expect.objectContaining({ title: 'Mail is down', severity: 'critical' })]);

  // A scheduled one is listed as such and not shown yet.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T08:00`;
  await form.getByLabel('Title').fill('Printer maintenance');
  await form.getByLabel('Starts (empty = now)').fill(local);
  await form.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('listitem', { name: 'Printer maintenance' })).toContainText('Scheduled');
  await shoot(page, 'announcements');

  await page.getByRole('listitem', { name: 'Printer maintenance' }).getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit announcement' });
  await expect(edit.getByLabel('Starts (empty = now)')).toHaveValue(local);
  await edit.getByLabel('Title').fill('Printer maintenance, floor 2');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('listitem', { name: 'Printer maintenance, floor 2' })).toContainText('Scheduled');

  // Ending the live one takes it off the agents.
  await item.getByRole('button', { name: 'End now' }).click();
  await expect(page.getByRole('listitem', { name: 'Mail is down' })).toContainText('Expired');
  const after = await asDevice<{ announcements: unknown[] }>(device!, 'GET', '/api/v1/announcements/sync?since=0');
  expect(after.body.announcements).toEqual([]);
});

test('creates an enrollment secret, shows it once with install commands, and it enrolls a device', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await signIn(page);
  await openFromNav(page, 'Settings');
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Enrollment' }).click();
  await page.getByLabel('Name (where it is deployed)').fill('Laptops 2026');
  await page.getByRole('button', { name: 'Create secret' }).click();
  const shown = (await page.getByTestId('new-secret').textContent())?.trim() ?? '';
  expect(shown).toMatch(/^dse_[A-Za-z0-9_-]{20,}$/);

  await expect(page.getByTestId('install-linux')).toContainText('.deb');
  const linux = (await page.getByTestId('install-linux').textContent()) ?? '';
  expect(linux).toContain(`{"serverUrl":"${server.url}","enrollSecret":"${shown}"}`);
  expect(linux).toContain('sudo tee /etc/deskside/config.json && sudo apt install ./deskside_0.1.0_amd64.deb');
  await expect(page.getByTestId('install-windows')).toHaveText(
    `Deskside-Setup.exe /S /SERVER=${server.url} /SECRET=${shown}`,
  );
  await expect(page.getByTestId('install-macos')).toContainText('"/Library/Application Support/Deskside/config.json"');
  await page.getByRole('button', { name: 'Copy the Linux (Debian/Ubuntu) command' }).click();
  await expect(page.getByRole('button', { name: 'Copy the Linux (Debian/Ubuntu) command' })).toHaveText('Copied');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(linux);
  await shoot(page, 'settings-enrollment');

  // The secret works; after revoking it in the list, it no longer does.
  expect((await enroll(server.url, shown)).status).toBe(201);
  await page.getByRole('button', { name: 'Done, hide it' }).click();
  await expect(page.getByTestId('new-secret')).toHaveCount(0);
  const row = page.getByRole('row', { name: /Laptops 2026/ });
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(row).toContainText('Revoked');
  expect((await enroll(server.url, shown)).status).toBe(401);
});

test('creates a staff member who can sign in, and groups to put them in', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/admin/settings/groups`);
  const groupForm = page.getByRole('form', { name: 'Add a group' });
  await groupForm.getByLabel('New group name').fill('Service desk');
  await groupForm.getByLabel('New group description').fill('First line: phones, chat and the queue');
  await groupForm.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('status')).toContainText('Group “Service desk” added.');
  await groupForm.getByLabel('New group name').fill('Workplace engineering');
  await groupForm.getByLabel('New group tier').selectOption('2');
  await groupForm.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('listitem', { name: 'Workplace engineering' })).toContainText('Tier 2');
  await shoot(page, 'settings-groups');

  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Staff' }).click();
  const form = page.getByRole('form', { name: 'Add a staff member' });
  await form.getByLabel('Name').fill('Toni Tech');
  await form.getByLabel('Email').fill('toni@deskside.test');
  await form.getByLabel('Group').selectOption('Service desk');
  await form.getByLabel('Initial password').fill('a long enough password');
  await form.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByRole('status')).toContainText('Toni Tech can now sign in');
  const row = page.getByRole('row', { name: 'Toni Tech' });
  await expect(row.getByLabel('Group of Toni Tech')).toHaveValue('Service desk');
  await shoot(page, 'settings-staff');

  const toni = await staffClient(server.url, { email: 'toni@deskside.test', password: 'a long enough password' });
  const session = await toni.request<{ user: { role: string; group: string } }>('GET', '/api/v1/auth/session');
  expect(session.body.user).toMatchObject({ role: 'technician', group: 'Service desk' });
  expect((await toni.request('GET', '/api/v1/groups')).status).toBe(200);
  expect((await toni.request('POST', '/api/v1/groups', { name: 'Sneaky' })).status).toBe(403);

  // Resetting the password ends Toni's session; the new one works.
  await row.getByRole('button', { name: 'Reset password' }).click();
  await row.getByLabel('New password for Toni Tech').fill('another long password');
  await row.getByRole('button', { name: 'Set' }).click();
  await expect(page.getByRole('status')).toContainText('Password of Toni Tech reset');
  expect((await toni.request<{ signedIn: boolean }>('GET', '/api/v1/auth/session')).body.signedIn).toBe(false);
  await staffClient(server.url, { email: 'toni@deskside.test', password: 'another long password' });
  await expect(
    staffClient(server.url, { email: 'toni@deskside.test', password: 'a long enough password' }),
  ).rejects.toThrow(/invalid_credentials/);
});

test('edits an SLA policy', async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/admin/settings/sla`);
  const p2 = page.getByRole('form', { name: 'P2 · High policy' });
  await p2.getByLabel('First response (minutes)').fill('45');
  await p2.getByLabel('Resolution (minutes)').fill('480');
  await p2.getByLabel('Clock runs').selectOption('business');
  await p2.getByLabel('Time zone').fill('Europe/Berlin');
  await p2.getByRole('button', { name: 'Save P2' }).click();
  await expect(p2.getByRole('status')).toContainText('Saved');
  const policies = await staff.request<{
    policies: Array<{
      priority: string;
      firstResponseMinutes: number;
      resolutionMinutes: number;
      businessHours: { timezone: string; days: number[] } | null;
    }>;
  }>('GET', '/api/v1/sla/policies');
  expect(policies.body.policies.find((p) => p.priority === 'p2')).toMatchObject({
    firstResponseMinutes: 45,
    resolutionMinutes: 480,
    businessHours: { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5] },
  });
  await shoot(page, 'settings-sla');

  // A zone that does not exist is caught before it is sent, and nothing changes.
  await p2.getByLabel('Time zone').fill('Mars/Olympus');
  await p2.getByRole('button', { name: 'Save P2' }).click();
  await expect(p2.getByRole('alert')).toContainText('not a time zone');
  const unchanged = await staff.request<{
    policies: Array<{ priority: string; businessHours: { timezone: string } | null }>;
  }>('GET', '/api/v1/sla/policies');
  expect(unchanged.body.policies.find((p) => p.priority === 'p2')?.businessHours?.timezone).toBe('Europe/Berlin');

  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Escalation rules' })
    .click();
  const rule = page.getByRole('form', { name: 'Add an escalation rule' });
  await rule.getByLabel('Name').fill('P1 overdue goes to tier 2');
  await rule.getByLabel('When').selectOption('resolution_breach');
  await rule.getByRole('checkbox', { name: 'P1' }).check();
  await rule.getByLabel('Move to group').selectOption('Workplace engineering');
  await rule.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByRole('table', { name: 'Escalation rules' })).toContainText('move to Workplace engineering');
  await shoot(page, 'settings-escalation');

  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Categories' }).click();
  await page.getByLabel('Label of printing').fill('Printers & scanners');
  await page.getByRole('button', { name: 'Save categories' }).click();
  await expect(page.getByRole('status')).toContainText('Categories saved');
  await shoot(page, 'settings-categories');
});

test("adds IT's allow-list entries and a script that technicians can then run", async ({ page }) => {
  await signIn(page);
  await page.goto(`${server.url}/admin/settings/allow-lists`);
  const service = page.getByRole('form', { name: 'Add a service' });
  await service.getByLabel('Add a service id').fill('spooler');
  await service.getByLabel('Add a service name').fill('Print spooler');
  await service.getByLabel('Add a service Linux (systemd unit)').fill('cups.service');
  await service.getByLabel('Add a service Windows (service name)').fill('Spooler');
  await service.getByLabel('Add a service macOS (launchd label)').fill('org.cups.cupsd');
  await service.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('listitem', { name: 'Print spooler' })).toContainText('Linux: cups.service');

  // A name that could smuggle an option is caught before it is sent.
  const pkg = page.getByRole('form', { name: 'Add a package' });
  await pkg.getByLabel('Add a package id').fill('vlc');
  await pkg.getByLabel('Add a package name').fill('VLC media player');
  await pkg.getByLabel('Add a package apt package').fill('-oAPT::Get=x');
  await pkg.getByRole('button', { name: 'Save' }).click();
  await expect(pkg.getByRole('alert')).toContainText('apt package: letters, digits');
  await pkg.getByLabel('Add a package apt package').fill('vlc');
  await pkg.getByLabel('Add a package winget id').fill('VideoLAN.VLC');
  await pkg.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('listitem', { name: 'VLC media player' })).toBeVisible();
  await shoot(page, 'settings-allow-lists');

  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'IT scripts' }).click();
  const script = page.getByRole('form', { name: 'Add a script' });
  await script.getByLabel('Slug').fill('teams-cache');
  await script.getByLabel('Title').fill('Clear the Teams cache');
  await script.getByLabel('Description').fill('Deletes the cache of Microsoft Teams for one profile.');
  await script.getByLabel('Linux script').fill('rm -rf -- "$HOME/.config/teams/$1/Cache"\necho "cleared $1"');
  await script.getByRole('button', { name: 'Add a parameter' }).click();
  await script.getByLabel('Parameter 1 name').fill('profile');
  await script.getByLabel('Parameter 1 required').check();
  await script.getByRole('button', { name: 'Save script' }).click();
  await expect(page.getByRole('status')).toContainText('saved');
  await shoot(page, 'settings-scripts');

  const catalog = await staff.request<{
    services: Array<{ id: string; linux: string | null; win32: string | null }>;
    packages: Array<{ id: string; apt: string | null; winget: string | null }>;
    scripts: Array<{ slug: string; action: string; bodies: { linux?: { shell: string; body: string } } }>;
  }>('GET', '/api/v1/it/catalog');
  expect(catalog.body.services).toEqual([
    expect.objectContaining({ id: 'spooler', linux: 'cups.service', win32: 'Spooler' }),
  ]);
  expect(catalog.body.packages).toEqual([expect.objectContaining({ id: 'vlc', apt: 'vlc', winget: 'VideoLAN.VLC' })]);
  expect(catalog.body.scripts).toEqual([
    expect.objectContaining({
      action: 'script.teams-cache',
      bodies: { linux: { shell: 'bash', body: 'rm -rf -- "$HOME/.config/teams/$1/Cache"\necho "cleared $1"' } },
    }),
  ]);
});

test('reports reflect the tickets filed by agents', async ({ page }) => {
  const { device } = await enroll(server.url, secret);
  const first = await fileTicket(device!, 'network', 'Wi-Fi drops every hour', true);
  await fileTicket(device!, 'network', 'VPN will not connect');
  await fileTicket(device!, 'printing', 'Printer on floor 2 jams');
  expect((await staff.request('POST', `/api/v1/tickets/${first}/messages`, { body: 'Looking into it.' })).status).toBe(
    201,
  );

  await signIn(page);
  await openFromNav(page, 'Reports');
  await expect(page.getByTestId('stat-opened').locator('.admin-stat-value')).toHaveText('3');
  await expect(page.getByTestId('stat-first-response')).toContainText('1 tickets');
  await expect(page.getByTestId('stat-backlog').locator('.admin-stat-value')).toHaveText('3');
  const categories = page.getByRole('figure', { name: 'Top categories' });
  await expect(categories.getByRole('img')).toHaveAttribute('aria-label', /Network 2, Printers & scanners 1/);
  await expect(categories.locator('.recharts-bar-rectangle')).toHaveCount(2);
  const findings = page.getByRole('figure', { name: 'Top findings' });
  await expect(findings.getByRole('img')).toHaveAttribute('aria-label', /disk\.almost_full 1/);
  const volume = page.getByRole('figure', { name: 'Tickets opened and closed per day' });
  await volume.getByText('Numbers').click();
  const today = new Date().toISOString().slice(0, 10);
  await expect(volume.getByRole('row', { name: new RegExp(today) })).toContainText('3');
  await volume.getByText('Numbers').click();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
    'href',
    /\/api\/v1\/reports\/summary\.csv\?from=\d{4}-\d{2}-\d{2}&to=/,
  );
  await shoot(page, 'reports');
  await page.screenshot({ path: `${SHOTS}/console-admin-reports-charts.png`, fullPage: true });

  await page.getByRole('combobox', { name: 'Period', exact: true }).selectOption('custom');
  await page.getByLabel('From', { exact: true }).fill('2020-01-01');
  await page.getByLabel('To', { exact: true }).fill('2020-01-31');
  await expect(page.getByTestId('stat-opened').locator('.admin-stat-value')).toHaveText('0');
  await expect(page.getByRole('figure', { name: 'Top categories' })).toContainText('No tickets in this period.');
});

test('every admin page fits a 1024-pixel-wide window without sideways scrolling', async ({ page }) => {
  await signIn(page);
  await page.setViewportSize({ width: 1024, height: 768 });
  const paths = [
    '/admin/articles',
    '/admin/articles/new',
    '/admin/announcements',
    '/admin/reports',
    ...['staff', 'groups', 'sla', 'escalation', 'categories', 'enrollment'].map((t) => `/admin/settings/${t}`),
  ];
  for (const path of paths) {
    await page.goto(`${server.url}${path}`);
    await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible();
    // Neither the window nor the shell's scrolling main area may scroll sideways (a wide table may, inside its card).
    const overflow = await page.evaluate(
      "Math.max(document.documentElement.scrollWidth - window.innerWidth, document.getElementById('main').scrollWidth - document.getElementById('main').clientWidth)",
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test('technicians are told the admin pages are for administrators', async ({ page }) => {
  await signIn(page, { email: 'toni@deskside.test', password: 'another long password' });
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' })).toHaveCount(0);
  await page.goto(`${server.url}/admin/settings/staff`);
  await expect(page.getByText(/administrators/i).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Staff' })).toHaveCount(0);
});
