import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { CHROMIUM_ARGS } from '../../../playwright.config';
import { createFixtureCollector } from '../../fakes/agent-platform.fake';
import { missingXPrograms, startXev, startXvfb, type XDisplay, type XevWindow } from '../../helpers/x-display';
import { attachWindow, startAgent, waitFor, type AgentHarness } from '../agent/transport';
import { startCommandDesk, type CommandDesk } from './support-commands';

/*
 * Remote control with the employee in the loop (issue 13), as both people see it. A private Xvfb display is
 * "the employee's screen": the employee window (the built renderer, through the test transport, against
 * the real agent core) runs there in a visible Chromium window, next to xev (a small X program that prints
 * the keys and clicks it gets). The agent core follows IT's default policy `ask` and starts x11vnc on that
 * display after the employee allows. The technician, in the built console (headless Chromium), takes
 * control from the ticket; the window shows the prompt, the employee allows, the console's noVNC connects
 * through the server and shows the screen — with the employee's banner on it — a click and a key reach xev,
 * and the employee's Stop ends the session on both sides.
 */

const missing = missingXPrograms();
test.skip(missing.length > 0, `remote control needs ${missing.join(', ')} (apt-get install -y xvfb x11vnc x11-utils)`);
test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
/** The employee's screen, and where the two programs sit on it. */
const SCREEN = { width: 1280, height: 800 };
const WINDOW = { x: 24, y: 24, width: 900, height: 740 };
const XEV = { x: 960, y: 48, width: 290, height: 220 };

let desk: CommandDesk;
let x: XDisplay;
let xev: XevWindow;
let employeeBrowser: Browser;
let consoleContext: BrowserContext;
let consolePage: Page;
const problems: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

function watch(page: Page, who: string): void {
  page.on('pageerror', (error) => problems.push(`${who} pageerror: ${error.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`${who}: ${m.text()}`)));
  page.on('dialog', (d) => (problems.push(`${who} dialog: ${d.message()}`), void d.dismiss()));
}

/** Serious or critical WCAG 2.1 A/AA findings of axe on a page. */
async function seriousA11y(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** An employee: the agent core (IT's default `ask`, x11vnc on the Xvfb display), a ticket, the window. */
async function employee(subject: string): Promise<{ agent: AgentHarness; window: Page; ticketId: number }> {
  const agent = await startAgent({
    serverUrl: desk.server.url,
    enrollSecret: desk.secret,
    collector: createFixtureCollector(),
    consentPrompt: true,
    managed: { remoteControl: { vnc: { server: 'x11vnc', display: x.display } } },
  });
  cleanups.push(() => agent.stop());
  const filed = await agent.invoke('ticket:submit', { subject, category: 'email', urgency: 'medium' });
  if (!filed.ok) throw new Error(`ticket:submit: ${filed.error.message}`);
  let ticketId = 0;
  await waitFor('the ticket on the server', async () => {
    const list = await agent.invoke('tickets:list', {});
    ticketId = (list.ok && list.value.tickets.find((t) => t.subject === subject)?.id) || 0;
    return ticketId > 0;
  });
  // The window fills the browser window on the employee's screen (no viewport of its own).
  const context = await employeeBrowser.newContext({ viewport: null });
  cleanups.push(() => context.close());
  const window = await context.newPage();
  watch(window, 'employee window');
  await attachWindow(window, agent);
  await window.goto(desk.rendererUrl);
  await expect(window.getByRole('navigation', { name: 'Deskside' })).toBeVisible();
  return { agent, window, ticketId };
}

/** The technician asks for a session from the ticket's Device tab; the console opens the session page. */
async function ask(ticketId: number, button: 'Take control' | 'View screen', reason: string): Promise<void> {
  await consolePage.goto(`${desk.server.url}/tickets/${ticketId}?tab=device`);
  await consolePage.getByLabel('Why (the employee reads this)').fill(reason);
  await consolePage.getByRole('button', { name: button }).click();
  await expect(consolePage).toHaveURL(/\/remote\/[0-9a-f-]{36}$/);
}

/** Distinct colours in the noVNC canvas (sampled). */
function canvasColours(page: Page): Promise<number> {
  return page.locator('[data-testid="remote-screen"] canvas').evaluate((element) => {
    const canvas = element as unknown as {
      width: number;
      height: number;
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 53) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

test.beforeAll(async ({ browser }, testInfo) => {
  x = await startXvfb(SCREEN.width, SCREEN.height);
  xev = await startXev(x.display, XEV.width, XEV.height, { at: XEV, events: ['keyboard', 'button'] });
  // A desktop colour, so the screen reads as one (xsetroot, x11-xserver-utils; without it, black). After xev:
  // Xvfb resets the screen when its last client leaves.
  spawnSync('xsetroot', ['-display', x.display, '-solid', '#3d5a80']);
  // The employee's browser is visible on the employee's screen: what the technician will see.
  employeeBrowser = await chromium.launch({
    headless: false,
    executablePath: testInfo.project.use.launchOptions?.executablePath,
    args: [
      ...CHROMIUM_ARGS,
      `--window-position=${WINDOW.x},${WINDOW.y}`,
      `--window-size=${WINDOW.width},${WINDOW.height}`,
    ],
    env: { ...process.env, DISPLAY: x.display },
  });
  desk = await startCommandDesk();
  consoleContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  consolePage = await consoleContext.newPage();
  watch(consolePage, 'console');
  await consolePage.goto(desk.server.url);
  await desk.signIn(consolePage);
  await expect(consolePage.getByRole('heading', { name: 'Queue' })).toBeVisible();
});

test.afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await consoleContext?.close();
  await employeeBrowser?.close();
  await desk?.stop();
  await xev?.stop();
  await x?.stop();
});

test.afterEach(async () => {
  // Each test's employee goes with it: one employee window on the screen at a time.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  expect(problems, 'no console errors, page errors or dialogs in either window').toEqual([]);
});

test("control: the employee allows, noVNC shows the screen, a click and a key reach the program, the employee's Stop ends it", async () => {
  const sam = await employee('Outlook keeps asking for my password');
  await ask(sam.ticketId, 'Take control', 'Check the mail account settings with you');
  const status = consolePage.getByRole('status');
  await expect(status).toHaveText('Waiting for the employee to allow it…');

  // The employee's window: who asks, why, control in its own words, the expiry.
  const prompt = sam.window.getByRole('alertdialog', { name: `${desk.staffName} asks to control this computer` });
  await expect(prompt).toBeVisible({ timeout: 15_000 });
  await expect(prompt).toContainText('Why: Check the mail account settings with you');
  await expect(prompt).toContainText('can use your mouse and keyboard');
  await expect(prompt).toContainText(`About ticket #${sam.ticketId}.`);
  await expect(prompt).toContainText(/If you do not answer by .+, the request is declined\./);
  await sam.window.screenshot({ path: `${SHOTS}/agent-remote-consent.png`, animations: 'disabled' });
  expect(await seriousA11y(sam.window), 'the prompt: no serious accessibility finding').toEqual([]);
  await prompt.getByRole('button', { name: 'Allow' }).click();
  await expect(prompt).toBeHidden();

  // The console: connected, allowed by the employee, the screen drawn.
  await expect(status).toHaveText('Connected — you control the screen', { timeout: 20_000 });
  await expect(consolePage.getByText('Allowed by the employee')).toBeVisible();
  const banner = sam.window.getByRole('region', { name: 'Remote session' });
  await expect(banner).toContainText(`${desk.staffName} is controlling your screen`);
  await expect(banner.getByLabel('Elapsed time')).toHaveText(/^0:0\d$/);
  // The screen shows the desktop, xev and the employee window with its banner: many colours.
  await expect.poll(() => canvasColours(consolePage), { timeout: 15_000 }).toBeGreaterThan(20);

  // A click over xev's window reaches it (ButtonPress). A key typed in the console reaches the X window
  // with the focus: the employee's browser (Chromium took it when it mapped its window), so the page sees it.
  const canvas = consolePage.locator('[data-testid="remote-screen"] canvas');
  const box = (await canvas.boundingBox())!;
  const onScreen = (sx: number, sy: number) => ({
    x: box.x + (box.width * sx) / SCREEN.width,
    y: box.y + (box.height * sy) / SCREEN.height,
  });
  const overXev = onScreen(XEV.x + XEV.width / 2, XEV.y + XEV.height / 2);
  await consolePage.mouse.click(overXev.x, overXev.y);
  await xev.waitForOutput(/ButtonPress event/);
  await xev.waitForOutput(/ButtonRelease event/);
  await sam.window.evaluate(() => {
    // The tests are typed without the DOM: the part of the window used here.
    const page = globalThis as unknown as {
      __keys: string[];
      addEventListener(type: 'keydown', listener: (event: { key: string }) => void): void;
    };
    page.__keys = [];
    page.addEventListener('keydown', (event) => void page.__keys.push(event.key));
  });
  const overWindow = onScreen(WINDOW.x + WINDOW.width / 2, WINDOW.y + WINDOW.height / 2);
  await consolePage.mouse.move(overWindow.x, overWindow.y);
  await consolePage.keyboard.press('k');
  await expect
    .poll(() => sam.window.evaluate(() => (globalThis as unknown as { __keys: string[] }).__keys))
    .toContain('k');

  // Let the banner's clock tick on the remote screen, then the pictures.
  await expect(banner.getByLabel('Elapsed time')).not.toHaveText('0:00');
  await consolePage.mouse.move(box.x + box.width - 2, box.y + box.height - 2);
  await sam.window.screenshot({ path: `${SHOTS}/agent-remote-banner.png`, animations: 'disabled' });
  await consolePage.waitForTimeout(800); // the framebuffer update after the clock's last tick
  await consolePage.screenshot({ path: `${SHOTS}/console-remote-session.png`, animations: 'disabled' });
  expect(await seriousA11y(sam.window, '[data-testid="remote-banner"]'), 'the banner: no serious finding').toEqual([]);

  // The employee stops: the banner goes, the console says who ended it, x11vnc is gone.
  await banner.getByRole('button', { name: 'Stop' }).click();
  await expect(banner).toBeHidden();
  await expect(status).toHaveText('Ended: stopped by the employee', { timeout: 10_000 });
  await expect(consolePage.getByRole('button', { name: 'Stop' })).toBeDisabled();
  expect((await sam.agent.invoke('remote:current', {})).ok).toBe(true);

  // The ticket's internal note says the same.
  await consolePage.goto(`${desk.server.url}/tickets/${sam.ticketId}`);
  await expect(consolePage.getByText('Remote control session ended')).toBeVisible();
  await expect(consolePage.getByText('Ended because: stopped by the employee')).toBeVisible();
});

test('view: the employee denies; nothing starts and the console says denied', async () => {
  const jo = await employee('Teams shows a black screen');
  await ask(jo.ticketId, 'View screen', 'See what Teams shows');
  const prompt = jo.window.getByRole('alertdialog', { name: `${desk.staffName} asks to see your screen` });
  await expect(prompt).toBeVisible({ timeout: 15_000 });
  await expect(prompt).toContainText('They cannot use your mouse or keyboard.');
  await prompt.getByRole('button', { name: 'Deny' }).click();
  await expect(prompt).toBeHidden();
  await expect(consolePage.getByRole('status')).toHaveText(/^Denied/, { timeout: 10_000 });
  await expect(consolePage.locator('[data-testid="remote-screen"] canvas')).toHaveCount(0);
  await expect(jo.window.getByRole('region', { name: 'Remote session' })).toHaveCount(0);
});
