import { expect, test, type Page } from '@playwright/test';
import { startRealisticWindow, type RealisticWindow } from './realistic';
import type { PageProblems } from './transport';

/*
 * Screenshots of every screen of the employee window for docs/screenshots/agent-<screen>.png, taken
 * at 960×680 (1x) against the real agent core and server with realistic content. They rewrite
 * committed files, so they only run when asked: DESKSIDE_SCREENSHOTS=1 npx playwright test --project agent screenshots
 */

test.skip(!process.env.DESKSIDE_SCREENSHOTS, 'set DESKSIDE_SCREENSHOTS=1 to refresh docs/screenshots/agent-*.png');
test.describe.configure({ mode: 'serial' });

let win: RealisticWindow;
let page: Page;
let problems: PageProblems;

async function shoot(name: string): Promise<void> {
  // Playwright waits for web fonts itself; animations are stopped for a stable picture.
  await page.screenshot({ path: `docs/screenshots/agent-${name}.png`, animations: 'disabled' });
}

async function go(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Deskside' }).getByRole('button', { name: label }).click();
}

test.beforeAll(async ({ browser }) => {
  win = await startRealisticWindow(browser);
  ({ page, problems } = win);
});

test.afterAll(async () => {
  await win?.stop();
});

test('every screen', async () => {
  await page.goto(win.url);
  await page.getByRole('navigation', { name: 'Deskside' }).getByRole('button', { name: 'Check my computer' }).click();
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 20_000 });
  await go('Home');
  await expect(page.getByText('Email is slow this morning')).toBeVisible();
  await shoot('home');

  await go('Check my computer');
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 20_000 });
  const firstArticle = page.locator('.article-inline-toggle').first();
  if (await firstArticle.count()) await firstArticle.click();
  await shoot('check');

  await go('Get help');
  await page.getByLabel('What is wrong?').fill('The printer does not print');
  await expect(page.getByTestId('suggestions')).toBeVisible();
  await page.getByLabel('What is it about?').selectOption('printing');
  await expect(page.getByRole('checkbox', { name: 'Installed software' })).toBeVisible({ timeout: 20_000 });
  await shoot('help');
  await page.getByRole('checkbox', { name: 'Installed software' }).uncheck();
  await page.locator('[data-section="os"] summary').click();
  await page.locator('#preview-heading').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot('help-preview');

  await go('My tickets');
  await expect(page.getByTestId('ticket-row')).toHaveCount(2);
  await shoot('tickets');
  await page.getByTestId('ticket-row').filter({ hasText: 'printer' }).getByRole('button').click();
  await expect(page.locator('[data-testid="message"][data-author="staff"]')).toHaveCount(1);
  await shoot('ticket');

  await go('Self-help');
  await expect(page.getByRole('button', { name: /Free up disk space/ })).toBeVisible();
  await shoot('articles');
  await page.getByRole('button', { name: /Printer on floor 2/ }).click();
  await expect(page.getByRole('button', { name: 'This helped' })).toBeVisible();
  await shoot('article');

  await go('Announcements');
  await expect(page.getByText('VPN maintenance on Saturday')).toBeVisible();
  await shoot('announcements');
  await go('Settings');
  await expect(page.getByText('Set by your IT department').first()).toBeVisible();
  await shoot('settings');
  await go('About');
  await expect(page.getByText('helpdesk@acme.example')).toBeVisible();
  await shoot('about');

  expect(problems.consoleErrors).toEqual([]);
  expect(await problems.cspViolations()).toEqual([]);
});
