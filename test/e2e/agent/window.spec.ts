import { expect, test, type Page } from '@playwright/test';
import { createEnrollSecret, startServer, staffClient, type RunningServer, type StaffClient } from '../support/server';
import { attachWindow, serveRenderer, startAgent, waitFor, type AgentHarness, type PageProblems } from './transport';

/*
 * The employee window end to end: the built renderer in Chromium, the real agent core in this
 * process, a real help-desk server as a child process. Tests run in order and share one agent, so
 * the ticket filed in one is the thread opened in the next.
 */

test.describe.configure({ mode: 'serial' });

const ARTICLE_TITLE = 'Printer on floor 2 does not print';
const HOSTILE = [
  'Try these steps:',
  '<script>window.__pwned = 1; alert("script")</script>',
  '<img src=x onerror="window.__pwned = 2; alert(\'img\')">',
  '[run me](javascript:alert(1))',
  '[passwords](file:///etc/passwd)',
  '<a href="javascript:alert(2)">raw link</a>',
  '<iframe src="https://example.com"></iframe>',
  '![tracker](https://example.com/pixel.png)',
  '[ok](https://example.com)',
].join('\n\n');

let server: RunningServer;
let staff: StaffClient;
let agent: AgentHarness;
let site: { url: string; close(): Promise<void> };
let page: Page;
let problems: PageProblems;
let ticketId: number;

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  staff = await staffClient(server.url);
  const article = await staff.request('POST', '/api/v1/articles', {
    title: ARTICLE_TITLE,
    body: 'Open **Settings → Printers**, remove `Floor2-HP` and add it again.',
    tags: ['printing'],
    status: 'published',
  });
  expect(article.status, JSON.stringify(article.body)).toBe(201);
  const announcement = await staff.request('POST', '/api/v1/announcements', {
    title: 'Email is slow this morning',
    body: 'Messages are delayed, not lost.',
    severity: 'warning',
    status: 'published',
  });
  expect(announcement.status, JSON.stringify(announcement.body)).toBe(201);

  agent = await startAgent({
    serverUrl: server.url,
    enrollSecret: await createEnrollSecret(server.url),
    managed: { branding: { name: 'Acme IT Help', supportEmail: 'helpdesk@acme.example' } },
  });
  await waitFor('enrollment', () => agent.core.state().enrollment.state === 'enrolled');
  await waitFor('article sync', async () => {
    const list = await agent.invoke('articles:list', {});
    return list.ok && list.value.articles.some((a) => a.title === ARTICLE_TITLE);
  });

  site = await serveRenderer();
  page = await browser.newPage({ viewport: { width: 960, height: 680 } });
  problems = await attachWindow(page, agent);
});

test.afterAll(async () => {
  await page?.close();
  await agent?.stop();
  await site?.close();
  await server?.stop();
});

test('the window loads, shows the agent state and marks itself interactive', async () => {
  await page.goto(site.url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello from');
  await expect(
    page.getByRole('navigation', { name: 'Deskside' }).getByRole('button', { name: 'Home' }),
  ).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('connection-status')).toContainText('Connected');
  await expect(page.getByText('Email is slow this morning')).toBeVisible();
  await expect(page.getByText('Acme IT Help').first()).toBeVisible();
  const marks = await page.evaluate(() => performance.getEntriesByName('deskside:interactive').length);
  expect(marks).toBe(1);
});

test('Get help: suggestions, snapshot preview with a section left out, screenshot, and the ticket reaches the server with its snapshot', async () => {
  await page.getByRole('button', { name: 'Get help' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Get help' })).toBeFocused();

  await page.getByRole('button', { name: 'Send to the help desk' }).click();
  await expect(page.getByText('Tell us in a few words what is wrong.')).toBeVisible();
  await expect(page.getByLabel('What is wrong?')).toBeFocused();

  await page.getByLabel('What is wrong?').fill('The printer on floor 2 does not print');
  await page.getByRole('textbox', { name: /^Details/ }).fill('It says offline since this morning.');
  const suggestions = page.getByTestId('suggestions');
  await expect(suggestions.getByRole('button', { name: ARTICLE_TITLE })).toBeVisible();
  await suggestions.getByRole('button', { name: ARTICLE_TITLE }).click();
  await expect(suggestions.getByText('Floor2-HP')).toBeVisible();

  await page.getByLabel('What is it about?').selectOption('printing');
  await page.getByRole('radio', { name: /^Urgent/ }).check();
  await page.getByRole('radio', { name: 'My team' }).check();

  const preview = page.getByTestId('snapshot-preview');
  const software = preview.getByRole('checkbox', { name: 'Installed software' });
  await expect(software).toBeChecked({ timeout: 20_000 });
  await expect(preview.getByRole('checkbox', { name: 'Operating system' })).toBeChecked();
  await software.uncheck();
  await expect(preview.locator('[data-section="software"]')).toContainText('Will not be sent');
  await preview.locator('[data-section="os"] summary').click();
  await expect(preview.locator('[data-section="os"] pre')).toContainText('"uptimeSeconds"');

  await page.getByRole('button', { name: 'Add a screenshot of my screen' }).click();
  await expect(page.getByRole('img', { name: 'Screenshot that will be attached' })).toBeVisible();

  await page.getByRole('button', { name: 'Send to the help desk' }).click();
  const confirmation = page.getByTestId('confirmation');
  await expect(confirmation.getByRole('heading', { name: 'Sent to the help desk' })).toBeVisible({ timeout: 20_000 });

  const queue = await staff.request<{
    tickets: {
      id: number;
      subject: string;
      snapshotId: number | null;
      urgency: string;
      impact: string;
      category: string;
    }[];
  }>('GET', '/api/v1/tickets');
  const ticket = queue.body.tickets.find((t) => t.subject === 'The printer on floor 2 does not print');
  expect(ticket, JSON.stringify(queue.body)).toBeDefined();
  ticketId = ticket!.id;
  await expect(confirmation).toContainText(`#${ticketId}`);
  expect(ticket).toMatchObject({ category: 'printing', urgency: 'high', impact: 'medium' });
  expect(ticket!.snapshotId).not.toBeNull();
  const stored = await staff.request<{ snapshot: { sections: Record<string, unknown> } }>(
    'GET',
    `/api/v1/snapshots/${ticket!.snapshotId}`,
  );
  expect(stored.status).toBe(200);
  expect(stored.body.snapshot.sections.os).toBeDefined();
  expect(stored.body.snapshot.sections.software).toBeUndefined();
});

test('a staff reply appears in the open thread within 5 s', async () => {
  await page.getByRole('button', { name: `Open ticket #${ticketId}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The printer on floor 2 does not print');
  const reply = await staff.request('POST', `/api/v1/tickets/${ticketId}/messages`, {
    body: 'Please restart the **print spooler** and try again.',
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  const staffMessage = page.locator('[data-testid="message"][data-author="staff"]');
  await expect(staffMessage).toHaveCount(1, { timeout: 5_000 });
  await expect(staffMessage.locator('strong').filter({ hasText: 'print spooler' })).toBeVisible();
});

test('live chat: the technician on the ticket shows in the thread ("is here", "is typing…"), then leaves', async () => {
  const presence = page.getByTestId('presence');
  const say = async (body: object) => {
    const res = await staff.request('POST', `/api/v1/tickets/${ticketId}/presence`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  };
  await say({ present: true, typing: false });
  await expect(presence).toHaveText(/is here$/, { timeout: 5_000 });
  await say({ present: true, typing: true });
  await expect(presence).toHaveText(/is typing…$/, { timeout: 5_000 });
  // Into docs/screenshots only on request (DESKSIDE_SCREENSHOTS=1), like the other README screenshots.
  await page.screenshot({
    path: `${process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots'}/agent-live-chat.png`,
  });
  await say({ present: false, typing: false });
  await expect(presence).toHaveText('', { timeout: 5_000 });
});

test('a reply carrying hostile Markdown renders inert; its one https link opens through the agent', async () => {
  const posted = await staff.request('POST', `/api/v1/tickets/${ticketId}/messages`, { body: HOSTILE });
  expect(posted.status).toBe(201);
  const message = page.locator('[data-testid="message"][data-author="staff"]').nth(1);
  await expect(message).toContainText('Try these steps:', { timeout: 5_000 });

  expect(await message.locator('script, img, iframe, object, embed').count()).toBe(0);
  const links = message.locator('a');
  await expect(links).toHaveCount(1);
  await expect(links).toHaveAttribute('href', 'https://example.com');
  await expect(message.getByText('run me')).toBeVisible();
  await expect(message.getByText('passwords')).toBeVisible();
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  const before = page.url();
  await links.click();
  await waitFor('external:open', () => agent.opened.includes('https://example.com'), 5_000);
  expect(page.url()).toBe(before);
  expect(agent.opened.every((url) => url.startsWith('https:') || url.startsWith('mailto:'))).toBe(true);
  expect(problems.dialogs).toEqual([]);
});

test('replying, solving and rating from the thread', async () => {
  await page.getByLabel('Reply', { exact: true }).fill('Restarted it, printing works now.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.locator('[data-testid="message"][data-author="device"]').last()).toContainText(
    'printing works now',
  );
  await page.getByRole('button', { name: 'Mark as solved' }).click();
  await expect(page.getByTestId('ticket-status')).toHaveText('Solved');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('radio', { name: '4 stars, Good' }).check();
  await page.getByLabel('Comment').fill('Quick and clear.');
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.getByText('You rated this 4 out of 5.')).toBeVisible();
  const staffView = await staff.request<{ status: string; satisfaction: number | null }>(
    'GET',
    `/api/v1/tickets/${ticketId}`,
  );
  expect(staffView.body).toMatchObject({ status: 'resolved', satisfaction: 4 });
});

test('My tickets lists the ticket; Check my computer shows what the check found', async () => {
  await page.getByRole('button', { name: 'My tickets' }).first().click();
  await expect(
    page.getByTestId('ticket-row').filter({ hasText: 'The printer on floor 2 does not print' }),
  ).toContainText('Solved');

  await page.getByRole('button', { name: 'Check my computer' }).first().click();
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 20_000 });
  const health = agent.core.state().health;
  expect(health).not.toBeNull();
  const findings = page.getByTestId('finding');
  if (health!.findings.length === 0) {
    await expect(page.getByText('All good')).toBeVisible();
  } else {
    await expect(findings).toHaveCount(health!.findings.length);
    for (const finding of health!.findings) {
      await expect(findings.filter({ hasText: finding.title })).toContainText(finding.evidence);
    }
  }
});

test('keyboard: the navigation is reachable and operable, and no console errors or CSP violations happened', async () => {
  await page.getByRole('button', { name: 'Home' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Check my computer' }).first()).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Get help' })).toBeFocused();

  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(await problems.cspViolations()).toEqual([]);
  expect(problems.dialogs).toEqual([]);
});

test('every screen fits an 800×600 window without sideways scrolling', async () => {
  await page.setViewportSize({ width: 800, height: 600 });
  const screens = [
    'Home',
    'Check my computer',
    'Get help',
    'My tickets',
    'Self-help',
    'Announcements',
    'Settings',
    'About',
  ];
  for (const name of screens) {
    await page.getByRole('navigation', { name: 'Deskside' }).getByRole('button', { name }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => {
      type Box = { scrollWidth: number; clientWidth: number };
      const doc = (globalThis as unknown as { document: { documentElement: Box; querySelector(s: string): Box } })
        .document;
      const main = doc.querySelector('main');
      return {
        page: doc.documentElement.scrollWidth - doc.documentElement.clientWidth,
        main: main.scrollWidth - main.clientWidth,
      };
    });
    expect(overflow, name).toEqual({ page: 0, main: 0 });
  }
  await page.getByRole('button', { name: 'My tickets' }).first().click();
  await page.getByTestId('ticket-row').first().getByRole('button').click();
  await expect(page.locator('[data-testid="message"]').first()).toBeVisible();
  const main = page.locator('main');
  expect(await main.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
});
