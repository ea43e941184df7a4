import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN, type StaffClient } from '../support/server';
import { seedHelpDesk, type HelpDesk } from './support-seed';

/*
 * Accessibility of every console screen, with realistic data, signed in as a technician and as an
 * admin: axe-core (WCAG 2.0/2.1 A and AA) must find nothing serious or critical, and no screen may log
 * a console error, a page error or an unhandled rejection, signed in or out. Then the main flows by
 * keyboard alone: open a ticket from the queue, reply, change the status.
 */

test.describe.configure({ mode: 'serial' });

const TECH = { email: 'tess@deskside.test', password: 'technician password 1' } as const;
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SHOTS = 'test-results/screenshots';

let desk: HelpDesk;
let staff: StaffClient;
let ticketId: number;
let snapshotId: number;
let articleId: number;

/** Problems of a page: console errors, page errors, unhandled rejections, dialogs. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}

/** Serious and critical axe findings on the page as it is now, one line each. */
async function axeFindings(page: Page, screen: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${screen}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary}`),
    );
}

async function signIn(page: Page, credentials: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  return { context, page, problems: watch(page) };
}

/** More tickets over every status and priority, a thread with a reply and a note, admin content. */
async function enrich(): Promise<void> {
  const created = await staff.request('POST', '/api/v1/staff', {
    email: TECH.email,
    name: 'Tess Tech',
    role: 'technician',
    password: TECH.password,
    group: 'tier1',
  });
  expect(created.status).toBe(201);
  const list = await staff.request<{ tickets: Array<{ id: number }> }>('GET', '/api/v1/tickets?limit=50');
  const ids = list.body.tickets.map((t) => t.id).filter((id) => id !== ticketId);
  const changes = [
    { status: 'open', priority: 'p1' },
    { status: 'pending', priority: 'p2' },
    { status: 'resolved', priority: 'p3' },
    { status: 'open', priority: 'p4' },
  ];
  for (const [i, id] of ids.entries()) {
    const res = await staff.request('PATCH', `/api/v1/tickets/${id}`, changes[i % changes.length]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  for (const body of [
    { body: 'Hi Jo, please **restart Outlook** in safe mode:\n\n1. Close it\n2. Run `outlook /safe`', internal: false },
    { body: 'Probably the add-in again; see the *snapshot*.', internal: true },
  ]) {
    const res = await staff.request('POST', `/api/v1/tickets/${ticketId}/messages`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const article = await staff.request<{ id: number }>('POST', '/api/v1/articles', {
    title: 'Reset your VPN profile',
    body: '## Steps\n\n- Open the VPN app\n- Choose **Reset**',
    tags: ['vpn'],
    status: 'draft',
  });
  expect(article.status).toBe(201);
  articleId = article.body.id;
  const announcement = await staff.request('POST', '/api/v1/announcements', {
    title: 'Mail is slow this morning',
    body: 'We are on it.',
    severity: 'warning',
  });
  expect(announcement.status, JSON.stringify(announcement.body)).toBe(201);
}

test.beforeAll(async ({ browser }) => {
  desk = await seedHelpDesk(browser);
  ({ staff, ticketId, snapshotId } = desk);
  await enrich();
});

test.afterAll(async () => {
  await desk?.stop();
});

function screens(): Array<[string, string]> {
  return [
    ['queue', '/'],
    ['queue-all', '/?status=new&status=open&status=pending&status=resolved&status=closed'],
    ['ticket', `/tickets/${ticketId}`],
    ['ticket-snapshot', `/tickets/${ticketId}?tab=snapshot`],
    ['ticket-changes', `/tickets/${ticketId}?tab=changes`],
    ['ticket-history', `/tickets/${ticketId}?tab=history`],
    ['snapshot', `/snapshots/${snapshotId}`],
    ['snapshot-changes', `/snapshots/${snapshotId}/changes`],
    ['devices', '/devices'],
    ['device', `/devices/${desk.laptop.id}`],
    ['fleet', '/fleet'],
    ['fleet-software', '/fleet?package=curl&below=9'],
    ['network', '/network'],
    ['not-found', '/no/such/page'],
  ];
}

function adminScreens(): Array<[string, string]> {
  return [
    ['admin-articles', '/admin/articles'],
    ['admin-article-new', '/admin/articles/new'],
    ['admin-article', `/admin/articles/${articleId}`],
    ['admin-announcements', '/admin/announcements'],
    ['admin-reports', '/admin/reports'],
    ...['staff', 'groups', 'sla', 'escalation', 'categories', 'enrollment', 'network'].map((tab): [string, string] => [
      `admin-settings-${tab}`,
      `/admin/settings/${tab}`,
    ]),
  ];
}

/** Opens each screen, lets it settle, and collects axe findings. */
async function checkScreens(page: Page, url: string, list: Array<[string, string]>, role: string): Promise<string[]> {
  const findings: string[] = [];
  for (const [name, path] of list) {
    await page.goto(`${url}${path}`);
    await expect(page.locator('main h1').first(), name).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('[role="status"]:has-text("Loading")')).toHaveCount(0);
    findings.push(...(await axeFindings(page, `${role} ${name}`)));
  }
  return findings;
}

test('signed out: sign-in, a wrong password and an expired session log nothing and pass axe', async ({ browser }) => {
  const { context, page, problems } = await newPage(browser);
  try {
    await page.goto(desk.server.url);
    await expect(page.getByRole('heading', { name: 'Sign in to the help desk' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const findings = await axeFindings(page, 'sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('do not match');
    findings.push(...(await axeFindings(page, 'sign-in wrong password')));
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await page.goto(`${desk.server.url}/snapshots/${snapshotId}`);
    await expect(page.getByRole('button', { name: 'Download raw JSON' })).toBeVisible();
    await context.clearCookies();
    await page.getByRole('link', { name: 'Devices', exact: true }).click();
    await expect(page.getByText('Your session expired')).toBeVisible();
    findings.push(...(await axeFindings(page, 'session expired')));
    await page.screenshot({ path: `${SHOTS}/a11y-session-expired.png` });
    expect(findings).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});

for (const role of ['technician', 'admin'] as const) {
  test(`every screen as ${role}: no serious or critical axe finding, no console error`, async ({ browser }) => {
    // axe on 11 to 22 full screens takes minutes on a busy two-core machine.
    test.setTimeout(480_000);
    const { context, page, problems } = await newPage(browser);
    try {
      await page.goto(desk.server.url);
      await signIn(page, role === 'admin' ? ADMIN : TECH);
      const list = role === 'admin' ? [...screens(), ...adminScreens()] : screens();
      const findings = await checkScreens(page, desk.server.url, list, role);
      expect(findings).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
}

/** Presses Tab until `target` has the focus; fails after `limit` presses. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, limit = 150): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

// The test files have no DOM types: the little of the DOM the keyboard checks use, in the page.
interface El {
  matches(selector: string): boolean;
  getClientRects(): { length: number };
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  outerHTML: string;
}
type Doc = { querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>; activeElement: El | null };

/** Tabs through the whole page once and returns the focusable, visible controls Tab never reached. */
async function unreachedByTab(page: Page): Promise<string[]> {
  const total = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const all = [...doc.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"]')];
    const usable = all.filter((el) => !el.matches(':disabled') && el.getClientRects().length > 0);
    usable.forEach((el, i) => el.setAttribute('data-kb', String(i)));
    return usable.length;
  });
  const reached = new Set<string>();
  await page.locator('body').focus();
  for (let i = 0; i < total + 10; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      () => (globalThis as unknown as { document: Doc }).document.activeElement?.getAttribute('data-kb') ?? '',
    );
    if (id) reached.add(id);
  }
  return page.evaluate(
    (seen) =>
      [...(globalThis as unknown as { document: Doc }).document.querySelectorAll('[data-kb]')]
        .filter((el) => !seen.includes(el.getAttribute('data-kb') ?? ''))
        .map((el) => el.outerHTML.slice(0, 120)),
    [...reached],
  );
}

test('keyboard alone: Tab reaches every control; open a ticket from the queue, reply, change the status', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { context, page, problems } = await newPage(browser);
  try {
    await page.goto(desk.server.url);
    await expect(page.getByLabel('Email')).toBeFocused(); // the email field has the focus on arrival
    await page.keyboard.type(TECH.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TECH.password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
    await expect(page.locator('tbody tr.queue-row').first()).toBeVisible();
    expect(await unreachedByTab(page), 'queue').toEqual([]);

    // Open the hostile ticket from the queue: Tab to its link, Enter.
    const link = page.locator(`tr[data-ticket-id="${ticketId}"] a`).first();
    await tabTo(page, link);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/tickets/${ticketId}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Outlook crashes');
    expect(await unreachedByTab(page), 'ticket').toEqual([]);

    // Reply.
    await tabTo(page, page.getByLabel('Reply to the employee (Markdown)'));
    await page.keyboard.type('Typed with the keyboard alone.');
    await tabTo(page, page.getByRole('button', { name: 'Send reply' }));
    await page.keyboard.press('Enter');
    await expect(page.locator('.msg-staff').last()).toContainText('Typed with the keyboard alone.');

    // Change the status with the arrow keys on the focused select.
    const status = page.getByRole('complementary', { name: 'Ticket details' }).getByLabel('Status');
    const before = await status.inputValue();
    await tabTo(page, status);
    await page.keyboard.press('ArrowDown');
    await expect(status).not.toHaveValue(before);
    const chosen = await status.inputValue();
    await expect
      .poll(async () => (await staff.request<{ status: string }>('GET', `/api/v1/tickets/${ticketId}`)).body.status)
      .toBe(chosen);

    // The snapshot tab: every scrolling table is reachable too.
    await tabTo(page, page.getByRole('tab', { name: /Snapshot/ }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Installed software' })).toBeVisible();
    expect(await unreachedByTab(page), 'snapshot').toEqual([]);
    await page.screenshot({ path: `${SHOTS}/a11y-keyboard-snapshot.png` });
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
