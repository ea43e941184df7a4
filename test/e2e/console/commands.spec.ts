import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManagedConfig } from '../../../src/main/services/agent-platform';
import { createFixtureCollector } from '../../fakes/agent-platform.fake';
import { attachWindow, startAgent, waitFor, type AgentHarness } from '../agent/transport';
import { startCommandDesk, type CommandDesk } from './support-commands';

/*
 * Remote actions end to end (issue 12), as the two people involved see them: a technician in the built
 * console (Chromium) requests a ping of 127.0.0.1 on a ticket; the employee's window (the built renderer,
 * a second Chromium page, through the test transport) runs against the real agent core, which holds a
 * real live channel to the real server (the built CLI) and runs the real ping. Allow, Deny, a device that
 * was offline when asked, and IT's policy without a window (unattended, refused). Only 127.0.0.1 is ever
 * pinged: nothing leaves this machine.
 */

test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
/** "Within seconds": from the employee's Allow to the result on the technician's screen. */
const RESULT_WITHIN_MS = 5_000;

let desk: CommandDesk;
let consoleContext: BrowserContext;
let consolePage: Page;
const problems: string[] = [];

/** The agent of one test, its window (if it has one) and the ticket it filed. */
interface Employee {
  agent: AgentHarness;
  window: Page | null;
  ticketId: number;
  context: BrowserContext | null;
  /** The window's Content-Security-Policy violations so far. */
  csp: () => Promise<string[]>;
}
const employees: Employee[] = [];

function watch(page: Page, who: string): void {
  page.on('pageerror', (error) => problems.push(`${who} pageerror: ${error.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`${who}: ${m.text()}`)));
  page.on('dialog', (d) => (problems.push(`${who} dialog: ${d.message()}`), void d.dismiss()));
}

/** Opens the employee window (960×680, as the tray app's) on an agent core. */
async function openWindow(
  browser: Browser,
  agent: AgentHarness,
): Promise<{ page: Page; context: BrowserContext; csp: () => Promise<string[]> }> {
  const context = await browser.newContext({ viewport: { width: 960, height: 680 } });
  const page = await context.newPage();
  watch(page, 'agent window');
  const seen = await attachWindow(page, agent);
  await page.goto(desk.rendererUrl);
  await expect(page.getByRole('navigation', { name: 'Deskside' })).toBeVisible();
  return { page, context, csp: seen.cspViolations };
}

/** Starts an agent (enrolls, files a ticket through its outbox) and, with a window, opens it. */
async function employee(
  browser: Browser,
  subject: string,
  options: { window: boolean; managed?: Partial<ManagedConfig>; dataDir?: string },
): Promise<Employee> {
  const agent = await startAgent({
    serverUrl: desk.server.url,
    enrollSecret: desk.secret,
    collector: createFixtureCollector(),
    consentPrompt: options.window,
    managed: options.managed,
    dataDir: options.dataDir,
  });
  const filed = await agent.invoke('ticket:submit', { subject, category: 'network', urgency: 'medium' });
  if (!filed.ok) throw new Error(`ticket:submit: ${filed.error.message}`);
  let ticketId = 0;
  await waitFor('the ticket on the server', async () => {
    const list = await agent.invoke('tickets:list', {});
    ticketId = (list.ok && list.value.tickets.find((t) => t.subject === subject)?.id) || 0;
    return ticketId > 0;
  });
  const opened = options.window ? await openWindow(browser, agent) : null;
  const e: Employee = {
    agent,
    window: opened?.page ?? null,
    context: opened?.context ?? null,
    ticketId,
    csp: opened?.csp ?? (async () => []),
  };
  employees.push(e);
  return e;
}

async function stopEmployee(e: Employee): Promise<void> {
  const violations = e.window && !e.window.isClosed() ? await e.csp() : [];
  await e.context?.close();
  await e.agent.stop();
  employees.splice(employees.indexOf(e), 1);
  expect(violations, 'no CSP violations in the employee window').toEqual([]);
}

/** The technician requests a ping of 127.0.0.1 on the ticket from its "Run on device" tab. */
async function requestPing(
  ticketId: number,
  options: { reason: string; visibility?: 'public'; expires?: string } = { reason: 'Checking the network stack' },
): Promise<void> {
  await consolePage.goto(`${desk.server.url}/tickets/${ticketId}?tab=device`);
  const form = consolePage.getByRole('form', { name: 'Run on device' });
  await form.getByLabel('Action').selectOption({ label: 'Ping' });
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Requests (optional)').fill('2');
  await form.getByLabel('Reason (shown to the employee)').fill(options.reason);
  if (options.visibility) await form.getByLabel('Result').selectOption(options.visibility);
  if (options.expires) await form.getByLabel('Expires if not taken within').selectOption({ label: options.expires });
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(form.getByRole('status')).toHaveText(/Ping requested on /);
}

/** Serious or critical WCAG 2.1 A/AA findings of axe on a page (as the accessibility specs allow none). */
async function seriousA11y(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The ticket's newest command as the console lists it. */
const newestCommand = () =>
  consolePage.getByRole('list', { name: 'Commands on this ticket' }).getByRole('listitem').first();

/** The consent prompt in an employee window. */
const prompt = (window: Page) => window.getByRole('alertdialog', { name: /asks to run “Ping” on this computer/ });

test.beforeAll(async ({ browser }) => {
  desk = await startCommandDesk();
  consoleContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  consolePage = await consoleContext.newPage();
  watch(consolePage, 'console');
  await consolePage.goto(desk.server.url);
  await desk.signIn(consolePage);
  await expect(consolePage.getByRole('heading', { name: 'Queue' })).toBeVisible();
});

test.afterAll(async () => {
  for (const e of [...employees]) await stopEmployee(e);
  await consoleContext?.close();
  await desk?.stop();
});

test.afterEach(() => {
  expect(problems, 'no console errors, page errors or dialogs in either window').toEqual([]);
});

test('allow: the prompt says who asks, why and exactly what will run; the result is on the ticket within seconds', async ({
  browser,
}) => {
  const jo = await employee(browser, 'The network is slow', { window: true });
  await requestPing(jo.ticketId, { reason: 'Checking that the network stack answers', visibility: 'public' });
  const window = jo.window!;

  const consent = prompt(window);
  await expect(consent).toBeVisible();
  await expect(consent.getByRole('heading')).toHaveText(`${desk.staffName} asks to run “Ping” on this computer`);
  await expect(consent).toContainText('Why: Checking that the network stack answers');
  await expect(consent).toContainText('It only reads information from this computer.');
  const what = consent.getByRole('definition');
  await expect(what).toHaveText(['127.0.0.1', '2']);
  await expect(consent).toContainText(`About ticket #${jo.ticketId}.`);
  await expect(newestCommand().getByText('Awaiting consent')).toBeVisible();
  await window.screenshot({ path: `${SHOTS}/agent-command-consent.png`, animations: 'disabled' });
  expect(await seriousA11y(window), 'the consent prompt: no serious accessibility finding').toEqual([]);

  const allowed = Date.now();
  await consent.getByRole('button', { name: 'Allow' }).click();
  await expect(consent).toBeHidden();
  const command = newestCommand();
  await expect(command.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: RESULT_WITHIN_MS });
  expect(Date.now() - allowed).toBeLessThan(RESULT_WITHIN_MS);
  await expect(command.getByText('Allowed by')).toBeVisible();
  await expect(command.getByRole('definition').filter({ hasText: /^0$/ })).toBeVisible(); // exit code
  const output = command.getByRole('region', { name: 'Output of Ping' }).or(command.getByLabel('Output of Ping'));
  await expect(output).toContainText('2 packets transmitted, 2 received');
  await expect(output).toContainText('127.0.0.1');
  // The picture shows the result: the Commands card at the top of the view.
  await consolePage
    .getByRole('heading', { name: 'Commands', exact: true })
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await consolePage.screenshot({ path: `${SHOTS}/console-command-result.png`, animations: 'disabled' });
  expect(await seriousA11y(consolePage), 'the result on the ticket: no serious accessibility finding').toEqual([]);

  // The result is posted on the ticket: the conversation has it, and (visible to the employee) so does the tray.
  await consolePage.getByRole('tab', { name: 'Conversation' }).click();
  await expect(consolePage.getByText(/Ping succeeded \(requested by /)).toBeVisible();
  await window
    .getByRole('navigation', { name: 'Deskside' })
    .getByRole('button', { name: /My tickets/ })
    .click();
  await window.getByTestId('ticket-row').filter({ hasText: 'The network is slow' }).getByRole('button').click();
  await expect(window.getByText(/Ping succeeded/)).toBeVisible();
  await stopEmployee(jo);
});

test('deny: nothing runs and the console says the employee denied it', async ({ browser }) => {
  const sam = await employee(browser, 'Email does not sync', { window: true });
  await requestPing(sam.ticketId);
  const consent = prompt(sam.window!);
  await expect(consent).toBeVisible();
  await consent.getByRole('button', { name: 'Deny' }).click();
  await expect(consent).toBeHidden();
  const command = newestCommand();
  await expect(command.getByText('Denied', { exact: true })).toBeVisible();
  await expect(command.getByText(/^Denied by /)).toBeVisible();
  await expect(command.getByLabel('Output of Ping')).toHaveCount(0);
  await expect(command.getByText('Exit code')).toHaveCount(0);
  await stopEmployee(sam);
});

test('offline, then online: queued with its expiry, delivered when the agent connects, then asked and run', async ({
  browser,
}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-agent-offline-'));
  try {
    const first = await employee(browser, 'VPN drops at home', { window: false, dataDir });
    const ticketId = first.ticketId;
    // The computer goes off: its live channel closes.
    await stopEmployee(first);
    await consolePage.goto(`${desk.server.url}/tickets/${ticketId}?tab=device`);
    await expect(consolePage.getByText('Offline').first()).toBeVisible({ timeout: 15_000 });

    await requestPing(ticketId, { reason: 'Checking the adapter once you are back', expires: '15 minutes' });
    const command = newestCommand();
    await expect(command.getByText('Queued', { exact: true })).toBeVisible();
    const expires = command.locator('dt:has-text("Expires") + dd time');
    await expect(expires).toHaveText(/^in 1[45] m$/);
    const at = Date.parse((await expires.getAttribute('datetime')) ?? '');
    expect(Math.abs(at - Date.now() - 15 * 60_000)).toBeLessThan(60_000);

    // Back on: the same agent (same data folder, same device) with its window.
    const back = await employee(browser, 'VPN drops at home, again', { window: true, dataDir });
    const consent = prompt(back.window!);
    await expect(consent).toBeVisible({ timeout: 15_000 });
    await expect(consent).toContainText('Why: Checking the adapter once you are back');
    await expect(consent).toContainText(`About ticket #${ticketId}.`);
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect(command.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: RESULT_WITHIN_MS });
    await expect(command.getByText('Expires')).toHaveCount(0);
    await expect(command.getByLabel('Output of Ping')).toContainText('127.0.0.1');
    await stopEmployee(back);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('headless, IT policy reads=unattended: runs with no one asked; a fix is refused (no one to ask)', async ({
  browser,
}) => {
  const server = await employee(browser, 'Build server is slow', {
    window: false,
    managed: { commandPolicy: { reads: 'unattended', changes: 'ask' } },
  });
  await requestPing(server.ticketId);
  const command = newestCommand();
  await expect(command.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: RESULT_WITHIN_MS + 5_000 });
  await expect(command.getByText('Ran unattended (IT policy)')).toBeVisible();
  await expect(command.getByLabel('Output of Ping')).toContainText('127.0.0.1');

  // A fix on the same computer: the policy says ask, and a daemon has no one to ask.
  const form = consolePage.getByRole('form', { name: 'Run on device' });
  await form.getByLabel('Action').selectOption({ label: 'Flush the DNS cache' });
  await form.getByLabel('Reason (shown to the employee)').fill('Stale records after the move');
  await form.getByRole('button', { name: 'Run' }).click();
  const fix = newestCommand();
  await expect(fix.getByText('Flush the DNS cache')).toBeVisible();
  await expect(fix.getByTitle('Refused by the device')).toBeVisible({ timeout: 10_000 });
  await expect(fix.locator('dt:has-text("Refused") + dd')).toHaveText(/^no one to ask: /);
  await stopEmployee(server);
});

test('IT policy reads=refuse: refused with the reason, and the employee is never asked', async ({ browser }) => {
  const kiosk = await employee(browser, 'Kiosk printer', {
    window: true,
    managed: { commandPolicy: { reads: 'refuse', changes: 'refuse' } },
  });
  await requestPing(kiosk.ticketId);
  const command = newestCommand();
  await expect(command.getByTitle('Refused by the device')).toBeVisible({ timeout: 10_000 });
  await expect(command.locator('dt:has-text("Refused") + dd')).toHaveText(
    /^policy: IT's policy refuses remote actions that read something/,
  );
  await expect(command.getByText('Exit code')).toHaveCount(0);
  await expect(kiosk.window!.getByRole('alertdialog')).toHaveCount(0);
  await stopEmployee(kiosk);
});
