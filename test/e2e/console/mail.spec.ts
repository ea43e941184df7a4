import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpReceiver, type SmtpReceiver } from '../../server/mail-smtp-receiver';
import { createEnrollSecret, startServer, staffClient, type RunningServer, type StaffClient } from '../support/server';
import { signIn } from '../support/sign-in';
import { freePort } from '../../helpers/server-process';
import { enroll, fileTicket as fileDeviceTicket } from './support-agent';

/*
 * Settings → Email and Email templates, the preferences page and the employee's rating page, through the
 * real console against a real server whose mail goes to a real SMTP receiver on 127.0.0.1.
 */

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let consoleCopy: string;
let staff: StaffClient;
let smtp: SmtpReceiver;
const errors: string[] = [];
const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

/** Files a ticket from an enrolled device; returns its id. */
async function fileTicket(subject: string): Promise<number> {
  const secret = await createEnrollSecret(server.url, `e2e ${randomUUID()}`);
  const device = await enroll(server.url, secret, 'lt-jdoe-0042', {
    platform: 'linux',
    name: 'Ubuntu',
    version: '24.04',
  });
  const ticket = await fileDeviceTicket(server.url, device, {
    subject,
    description: 'Filed by the mail console test.',
    category: 'network',
    urgency: 'high',
    impact: 'medium',
    requester: { name: 'Jordan Doe', email: 'jdoe@acme.test' },
  });
  return ticket.id;
}

test.beforeAll(async () => {
  consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-mail-console-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  server = await startServer({ env: { DESKSIDE_CONSOLE_DIR: consoleCopy } });
  staff = await staffClient(server.url);
  smtp = await startSmtpReceiver();
});

test.afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  if (consoleCopy) await rm(consoleCopy, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  errors.length = 0;
  page.on('console', (message) => {
    // The preview of an unknown placeholder answers 400 on purpose; nothing else may log an error.
    if (message.type() === 'error' && !/status of 400/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
});

test.afterEach(() => expect(errors, 'console errors').toEqual([]));

test('configures SMTP, tests it (refused, then sent) and shows failures with retry now', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, server.url);
  await page.goto(`${server.url}/admin/settings/email`);
  await expect(page.getByText('Not configured: no mail is sent')).toBeVisible();
  await page.getByLabel('SMTP host').fill('127.0.0.1');
  await page.getByRole('combobox', { name: /^Security/ }).selectOption('none');
  await page.getByLabel('Port', { exact: true }).fill(String(await freePort()));
  await page.getByLabel('From name').fill('Acme IT help desk');
  await page.getByLabel('From address (the help-desk mailbox)').fill('help@acme.test');
  await page.getByLabel('Console address for links in mail').fill(server.url);
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Email settings saved.' })).toBeVisible();
  await expect(page.getByText('Configured', { exact: true })).toBeVisible();

  await page.getByLabel('To', { exact: true }).fill('it@acme.test');
  await page.getByRole('button', { name: 'Send test message' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not sent.' })).toContainText(
    'Connection refused by 127.0.0.1',
  );

  await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
  await page.getByRole('button', { name: 'Save email settings' }).click();
  await page.getByRole('button', { name: 'Send test message' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent.' })).toContainText('Sent to it@acme.test');
  expect(smtp.mails.map((m) => m.subject)).toEqual(['Deskside test message']);

  // The receiver refuses: the notification waits in the failure log with the server's words.
  smtp.reject = 'Mailbox unavailable, try again later';
  const id = await fileTicket('VPN down');
  expect((await staff.request('PATCH', `/api/v1/tickets/${id}`, { status: 'pending' })).status).toBe(200);
  const log = page.getByRole('table', { name: 'Outgoing mail' });
  await expect(async () => {
    await page.reload();
    await expect(log).toContainText('Mailbox unavailable, try again later', { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  await expect(log.getByRole('row', { name: /VPN down/ })).toContainText('queued');
  await page.setViewportSize({ width: 1280, height: 1120 });
  await page.screenshot({ path: `${SHOTS}/console-settings-email.png` });

  smtp.reject = null;
  await log.getByRole('button', { name: 'Retry now' }).click();
  await expect
    .poll(() => smtp.mails.some((m) => m.subject?.includes(`[Ticket #${id}]`)), { timeout: 45_000 })
    .toBe(true);
});

test('edits a template with a live preview and refuses an unknown placeholder', async ({ page }) => {
  await signIn(page, server.url);
  await page.goto(`${server.url}/admin/settings/email-templates`);
  await page.getByRole('button', { name: /A ticket was assigned to me/ }).click();
  const body = page.getByLabel('Body (Markdown)');
  await body.fill('Hello {{recipient.name}}, {{ticket.owner}} is yours.');
  await expect(page.getByRole('region', { name: 'Preview' }).getByRole('alert')).toContainText('{{ticket.owner}}');
  await body.fill(
    'Hello {{recipient.name}},\n\n**{{actor.name}}** assigned ticket #{{ticket.id}} ({{ticket.priority}}) to you:\n\n> {{ticket.subject}}\n\n[Open the ticket]({{link}})',
  );
  const frame = page.frameLocator('iframe[title="HTML part"]');
  await expect(frame.locator('strong')).toHaveText('Alex Kim');
  await expect(page.locator('.mail-preview-text')).toContainText('**Alex Kim** assigned ticket #1042');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Template saved.' })).toBeVisible();
  await expect(page.getByRole('button', { name: /A ticket was assigned to me/ })).toContainText('edited');
  await page.setViewportSize({ width: 1280, height: 1060 });
  await page.screenshot({ path: `${SHOTS}/console-settings-email-templates.png` });
});

test('a technician chooses notifications; the employee rates from the resolved mail', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, server.url);
  await page.getByRole('link', { name: 'Preferences' }).click();
  await expect(page.getByRole('heading', { name: 'Preferences' })).toBeVisible();
  await page.getByLabel('An SLA target is near').uncheck();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Preferences saved.' })).toBeVisible();
  const prefs = await staff.request<{ preferences: { kind: string; enabled: boolean }[] }>(
    'GET',
    '/api/v1/staff/me/mail-preferences',
  );
  expect(prefs.body.preferences.find((p) => p.kind === 'staff.sla_warning')?.enabled).toBe(false);
  await page.screenshot({ path: `${SHOTS}/console-preferences.png` });

  const id = await fileTicket('Printer offline');
  await staff.request('PATCH', `/api/v1/tickets/${id}`, { status: 'resolved' });
  await expect
    .poll(() => smtp.mails.find((m) => m.subject === `Resolved: Printer offline [Ticket #${id}]`)?.text ?? '', {
      timeout: 45_000,
    })
    .toContain('/mail/rate?token=');
  const mail = smtp.mails.find((m) => m.subject === `Resolved: Printer offline [Ticket #${id}]`)!;
  const link = /(http:\/\/[^\s)]+\/mail\/rate\?token=[\w.-]+)/.exec(mail.text ?? '')![1]!;
  await page.goto(link);
  await expect(page.getByText('Printer offline')).toBeVisible();
  await page.getByRole('radio', { name: '4 of 5' }).click();
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  const ticket = await staff.request<{ satisfaction: number }>('GET', `/api/v1/tickets/${id}`);
  expect(ticket.body.satisfaction).toBe(4);

  // The same mail's "Manage these emails" link: the employee turns status mails off.
  const manage = /(http:\/\/\S+\/mail\/emails\?token=[\w.-]+)/.exec(mail.text ?? '')![1]!;
  await page.goto(manage);
  await expect(page.getByText('jdoe@acme.test')).toBeVisible();
  await page.getByLabel('The ticket’s status changed').uncheck();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(page.getByLabel('The ticket’s status changed')).not.toBeChecked();
  await expect(page.getByLabel('The ticket was resolved (with a link to rate it)')).toBeChecked();
});
