import { expect, test, type Page } from '@playwright/test';
import { ADMIN, startServer, type RunningServer } from '../support/server';

/*
 * `deskside server --demo` in the console: the queue holds the seeded tickets with their SLA
 * countdowns and the devices page shows every computer's health from its latest snapshot. Its
 * queue screenshot is the README's (refreshed with DESKSIDE_SCREENSHOTS=1, like the others).
 */

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

let server: RunningServer;
let page: Page;
const consoleErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  server = await startServer({ extraArgs: ['--demo'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The boot session check while signed out answers 401, and the browser logs it.
    if (message.type() === 'error' && !/\/api\/v1\/auth\/session$/.test(message.location().url))
      consoleErrors.push(message.text());
  });
});

test.afterAll(async () => {
  await server?.stop();
  expect(consoleErrors).toEqual([]);
});

test('the demo queue: seeded tickets of every priority with SLA countdowns', async () => {
  expect(server.output()).toContain('Demo data (--demo, never in production): seeded 9 devices, 30 tickets');
  await page.goto(server.url);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  const rows = page.locator('tbody tr.queue-row');
  // The default view: the 21 new, open and pending tickets.
  await expect(rows).toHaveCount(21);
  await expect(page.locator('.sla').first()).toContainText(/due in|overdue/);
  await expect(page.getByRole('link', { name: /No internet since this morning/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/console-queue.png` });
});

test('the demo devices: nine computers on three OSes, health from their snapshots', async () => {
  await page.getByRole('link', { name: 'Devices', exact: true }).click();
  const table = page.getByRole('table', { name: 'Devices' });
  await expect(table.locator('tbody tr')).toHaveCount(9);
  await expect(table.getByRole('row', { name: /lt-jdoe-0042/ })).toContainText(/critical/i);
  await expect(table.getByRole('row', { name: /MB-LNGUYEN/ })).toContainText(/healthy/i);
  await expect(table).not.toContainText(/unknown/i);
  await page.screenshot({ path: 'test-results/screenshots/console-demo-devices.png' });
});
