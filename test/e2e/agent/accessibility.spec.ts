import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REFUSED_SUBJECT, startRealisticWindow, type RealisticWindow } from './realistic';

/*
 * Every screen of the employee window, with realistic content, against axe-core's WCAG 2.1 A/AA
 * rules (no serious or critical finding allowed), and the main flows done with the keyboard alone:
 * Tab reaches every control of each screen, a ticket is filed and a reply answered without a mouse.
 * Screenshots of each checked state go to test-results/a11y-<screen>.png.
 */

test.describe.configure({ mode: 'serial' });

let win: RealisticWindow;
let page: Page;

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe over the whole page; fails with each serious or critical rule, its nodes and its help. */
async function expectNoSeriousViolations(screen: string): Promise<void> {
  await page.screenshot({ path: `test-results/a11y-${screen}.png`, fullPage: false });
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
    }));
  expect(serious, `${screen}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

const nav = () => page.getByRole('navigation', { name: 'Deskside' });

async function go(label: string): Promise<void> {
  await nav().getByRole('button', { name: label }).click();
}

/** Presses Tab until `target` has focus; fails if it takes more than `max` presses. */
async function tabTo(target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el.matches(':focus'))) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

// In-page scripts (plain JavaScript: this file is type-checked without the DOM library).
// MARK_CONTROLS numbers every control Tab should reach — visible (checkVisibility: not hidden, not
// inside a closed <details>), enabled, and for radios only the one Tab enters its group at (the
// checked one, else the first; arrows move inside a group) — clears focus, and returns the count.
const MARK_CONTROLS = `(() => {
  const selector = 'button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), a[href], summary, [tabindex]:not([tabindex="-1"])';
  const groups = new Set();
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    el.removeAttribute('data-kb');
    if (el.closest('fieldset[disabled]') || !el.checkVisibility()) continue;
    if (el.type === 'radio' && el.tagName === 'INPUT') {
      const group = [...document.querySelectorAll('input[type=radio]')].filter((r) => r.name === el.name);
      if (el !== (group.find((r) => r.checked) ?? group[0]) || groups.has(el.name)) continue;
      groups.add(el.name);
    }
    el.setAttribute('data-kb', String(n++));
  }
  document.activeElement?.blur();
  return n;
})()`;
const FOCUSED_MARK = `document.activeElement?.getAttribute('data-kb') ?? null`;
const UNREACHED = (seen: string[]) => `[...document.querySelectorAll('[data-kb]')]
  .filter((el) => !${JSON.stringify(seen)}.includes(el.getAttribute('data-kb')))
  .map((el) => el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60) + '"')`;

/**
 * Walks the page with Tab from the top until focus comes back round, and returns the controls it
 * never reached (see MARK_CONTROLS).
 */
async function controlsTabDoesNotReach(): Promise<string[]> {
  const total = await page.evaluate<number>(MARK_CONTROLS);
  const reached = new Set<string>();
  let first: string | null = null;
  for (let i = 0; i < total * 2 + 10; i += 1) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate<string | null>(FOCUSED_MARK);
    if (id === null) continue;
    if (id === first) break;
    first ??= id;
    reached.add(id);
  }
  return page.evaluate<string[]>(UNREACHED([...reached]));
}

async function checkScreen(screen: string): Promise<void> {
  await expectNoSeriousViolations(screen);
  expect(await controlsTabDoesNotReach(), `${screen}: controls Tab does not reach`).toEqual([]);
}

test.beforeAll(async ({ browser }) => {
  win = await startRealisticWindow(browser);
  page = win.page;
  await page.goto(win.url);
});

test.afterAll(async () => {
  await win?.stop();
});

test('Home with announcements', async () => {
  await expect(page.getByText('Email is slow this morning')).toBeVisible();
  await expect(nav().getByRole('button', { name: /My tickets/ })).toContainText('2');
  await checkScreen('home');
});

test('Check my computer with findings and an article opened', async () => {
  await go('Check my computer');
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByTestId('finding')).toHaveCount(2);
  await page.getByRole('button', { name: 'Free up disk space' }).click();
  await expect(page.getByRole('button', { name: 'This helped' })).toBeVisible();
  await checkScreen('check');
});

test('Get help: errors, suggestions, the snapshot preview and a screenshot', async () => {
  await go('Get help');
  await page.getByRole('button', { name: 'Send to the help desk' }).click();
  await expect(page.getByText('Tell us in a few words what is wrong.')).toBeVisible();
  await page.getByLabel('What is wrong?').fill('The printer on floor 2 does not print');
  await expect(page.getByTestId('suggestions')).toBeVisible();
  await page
    .getByTestId('suggestions')
    .getByRole('button', { name: /Printer on floor 2/ })
    .click();
  await expect(page.getByTestId('suggestions').getByText('Floor2-HP')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Installed software' })).toBeChecked({ timeout: 20_000 });
  await page.locator('[data-section="os"] summary').click();
  await page.getByRole('button', { name: 'Add a screenshot of my screen' }).click();
  await expect(page.getByRole('img', { name: 'Screenshot that will be attached' })).toBeVisible();
  await checkScreen('help');
});

test('My tickets with unread replies and a refused request in the outbox', async () => {
  await go('My tickets');
  await expect(page.getByTestId('ticket-row')).toHaveCount(2);
  await expect(page.getByTestId('outbox-item')).toContainText(REFUSED_SUBJECT);
  await expect(page.locator('.ticket-row.unread')).toHaveCount(2);
  await checkScreen('tickets');
  await page.getByRole('button', { name: 'Discard…' }).click();
  await expect(page.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await expectNoSeriousViolations('tickets-discard');
  await page.getByRole('button', { name: 'Keep it' }).click();
});

test('an open thread with replies, and a solved one with the rating form', async () => {
  await page.getByTestId('ticket-row').filter({ hasText: 'printer' }).getByRole('button').click();
  await expect(page.locator('[data-testid="message"][data-author="staff"]')).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'printing guide' })).toBeVisible();
  await checkScreen('ticket');
  await go('My tickets');
  await page.getByTestId('ticket-row').filter({ hasText: 'Outlook' }).getByRole('button').click();
  await expect(page.getByRole('group', { name: 'How did we do?' })).toBeVisible();
  await checkScreen('ticket-solved');
});

test('Self-help list and an article', async () => {
  await go('Self-help');
  await expect(page.getByRole('button', { name: /Free up disk space/ })).toBeVisible();
  await checkScreen('articles');
  await page.getByRole('searchbox', { name: 'Search self-help articles' }).fill('zzzz nothing');
  await expect(page.getByText(/Nothing found for/)).toBeVisible();
  await expectNoSeriousViolations('articles-empty-search');
  await page.getByRole('searchbox', { name: 'Search self-help articles' }).fill('');
  await page.getByRole('button', { name: /Why and how we encrypt laptops/ }).click();
  await expect(page.getByRole('link', { name: 'read the policy' })).toBeVisible();
  await checkScreen('article');
});

test('Announcements, Settings with IT-managed keys, About', async () => {
  await go('Announcements');
  await expect(page.getByText('VPN maintenance on Saturday')).toBeVisible();
  await checkScreen('announcements');
  await go('Settings');
  await expect(page.getByText('Set by your IT department').first()).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Hide identifying details' })).toBeDisabled();
  await checkScreen('settings');
  await go('About');
  await expect(page.getByText('helpdesk@acme.example')).toBeVisible();
  await checkScreen('about');
});

test('keyboard only: file a ticket from Home and open it', async () => {
  await page.goto(win.url);
  await expect(page.getByText('Email is slow this morning')).toBeVisible();
  await tabTo(nav().getByRole('button', { name: 'Get help' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Get help' })).toBeFocused();

  await page.keyboard.press('Tab');
  await expect(page.getByLabel('What is wrong?')).toBeFocused();
  await page.keyboard.type('Teams drops every call after a minute');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Since the update on Monday.');
  await tabTo(page.getByLabel('What is it about?'));
  await page.getByLabel('What is it about?').press('ArrowDown');
  await page.getByLabel('What is it about?').press('ArrowDown');
  await expect(page.getByLabel('What is it about?')).toHaveValue('software');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: /^Soon/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: /^Urgent/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Installed software' })).toBeChecked({ timeout: 20_000 });
  await tabTo(page.getByRole('checkbox', { name: 'Installed software' }));
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox', { name: 'Installed software' })).not.toBeChecked();
  await tabTo(page.getByRole('button', { name: 'Send to the help desk' }));
  await page.keyboard.press('Enter');

  const confirmation = page.getByTestId('confirmation');
  await expect(confirmation.getByRole('heading', { name: 'Sent to the help desk' })).toBeFocused({ timeout: 20_000 });
  const open = confirmation.getByRole('button', { name: /^Open ticket #/ });
  await tabTo(open);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teams drops every call after a minute');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  const queue = await win.staff.request<{ tickets: { subject: string; category: string; urgency: string }[] }>(
    'GET',
    '/api/v1/tickets',
  );
  expect(queue.body.tickets.find((t) => t.subject.startsWith('Teams drops'))).toMatchObject({
    category: 'software',
    urgency: 'high',
  });
});

test('keyboard only: open an unread reply from My tickets and answer it', async () => {
  await win.staff.request('POST', `/api/v1/tickets/${win.tickets.printer}/messages`, {
    body: 'Did removing the printer help?',
  });
  await expect(nav().getByRole('button', { name: /My tickets/ })).toContainText('1', { timeout: 5_000 });
  await tabTo(nav().getByRole('button', { name: /My tickets/ }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'My tickets' })).toBeFocused();
  const row = page.locator('.ticket-row.unread').filter({ hasText: 'printer' }).getByRole('button');
  await expect(row).toBeVisible();
  await tabTo(row);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The printer on floor 2 does not print');
  await expect(page.getByText('Did removing the printer help?')).toBeVisible();

  await tabTo(page.getByRole('textbox', { name: 'Reply', exact: true }));
  await page.keyboard.type('Yes, it prints again. Thank you!');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Send reply' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="message"][data-author="device"]').last()).toContainText('it prints again');
  await expect(page.getByRole('textbox', { name: 'Reply', exact: true })).toHaveValue('');
  const thread = await win.staff.request<{ messages: { body: string }[] }>(
    'GET',
    `/api/v1/tickets/${win.tickets.printer}/messages`,
  );
  expect(JSON.stringify(thread.body)).toContain('it prints again');
  expect(win.problems.pageErrors).toEqual([]);
  expect(win.problems.consoleErrors).toEqual([]);
});
