import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnrollSecret, startServer, type RunningServer } from '../support/server';
import { signIn } from '../support/sign-in';
import { freePort } from '../../helpers/server-process';
import { selfSignedCert } from '../../helpers/self-signed';
import { enroll, fileTicket as fileDeviceTicket } from './support-agent';

/*
 * Settings → Mailbox (email in, issue 15) through the real console against a real server: IMAP settings with
 * a field refused and the write-only password, the switch to Deskside's SMTP listener, and the import log
 * over rows written straight into the server's SQLite database (as the importer would write them).
 */

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let consoleCopy: string;
/** The listener's STARTTLS files (the SMTP test). */
let certDir: string | undefined;
let tickets: { vpn: number; printer: number };
const errors: string[] = [];
const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

/** Files a ticket from a freshly enrolled device; returns its id. */
async function fileTicket(subject: string, requester: { name: string; email: string }): Promise<number> {
  const secret = await createEnrollSecret(server.url, `e2e ${randomUUID()}`);
  const device = await enroll(server.url, secret, 'lt-mailbox-0042', {
    platform: 'linux',
    name: 'Ubuntu',
    version: '24.04',
  });
  const ticket = await fileDeviceTicket(server.url, device, {
    subject,
    description: 'Filed by the mailbox console test.',
    category: 'network',
    urgency: 'medium',
    impact: 'medium',
    requester: requester,
  });
  return ticket.id;
}

interface ImportRow {
  source: 'imap' | 'smtp';
  from: string;
  subject: string;
  outcome: 'ticket' | 'reply' | 'auto-reply' | 'bounce' | 'loop' | 'not-served' | 'failed';
  ticketId?: number;
  reason?: string;
  attempts?: number;
  raw?: boolean;
  /** The message's bytes to keep (a whole message), instead of the stand-in `raw` keeps. */
  rawText?: string;
  /** Its Message-ID (the importer's key for the row); a random one otherwise. */
  messageId?: string;
  minutesAgo: number;
}

/** Writes import-log rows into the running server's database, the way the importer does. */
function seedImports(rows: ImportRow[]): void {
  const db = new Database(join(server.dataDir, 'deskside.db'));
  try {
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(
      `INSERT INTO mail_imports (message_id, source, from_address, subject, outcome, ticket_id, reason, attempts, raw, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of rows) {
      const at = Date.now() - row.minutesAgo * 60_000;
      const messageId = row.messageId ?? `<${randomUUID()}@mail.acme.test>`;
      insert.run(
        messageId,
        row.source,
        row.from,
        row.subject,
        row.outcome,
        row.ticketId ?? null,
        row.reason ?? null,
        row.attempts ?? 1,
        row.rawText !== undefined
          ? Buffer.from(row.rawText)
          : row.raw
            ? Buffer.from(`Message-ID: ${messageId}\r\nFrom: ?\r\nSubject: Scanned document\r\n\r\n…`)
            : null,
        at,
        at,
      );
    }
  } finally {
    db.close();
  }
}

test.beforeAll(async () => {
  consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-mailbox-console-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  server = await startServer({ env: { DESKSIDE_CONSOLE_DIR: consoleCopy } });
  tickets = {
    vpn: await fileTicket('VPN drops every hour since Monday', { name: 'Jordan Doe', email: 'jdoe@acme.test' }),
    printer: await fileTicket('Printer on the 3rd floor jams', { name: 'Alex Kim', email: 'a.kim@acme.test' }),
  };
  seedImports([
    {
      source: 'imap',
      from: 'jdoe@acme.test',
      subject: 'VPN drops every hour since Monday',
      outcome: 'ticket',
      ticketId: tickets.vpn,
      minutesAgo: 190,
    },
    {
      source: 'imap',
      from: 'help@acme.test',
      subject: `[Ticket #${tickets.vpn}] We received your request`,
      outcome: 'loop',
      reason: 'Sent by this help desk (X-Deskside-Mail)',
      minutesAgo: 188,
    },
    {
      source: 'smtp',
      from: 'm.lee@acme.test',
      subject: 'Automatic reply: out of office until 12 March',
      outcome: 'auto-reply',
      reason: 'Auto-Submitted: auto-replied',
      minutesAgo: 150,
    },
    {
      source: 'smtp',
      from: 'a.kim@acme.test',
      subject: 'Printer on the 3rd floor jams',
      outcome: 'ticket',
      ticketId: tickets.printer,
      minutesAgo: 96,
    },
    {
      source: 'smtp',
      from: 'mailer-daemon@mx.acme.test',
      subject: 'Undelivered Mail Returned to Sender',
      outcome: 'bounce',
      reason: 'Delivery status notification (5.1.1 user unknown)',
      minutesAgo: 70,
    },
    {
      source: 'smtp',
      from: 'offers@toner-deals.example',
      subject: 'Cheap printer toner, 80% off',
      outcome: 'not-served',
      reason: 'Unknown sender; unknown senders are refused',
      minutesAgo: 41,
    },
    {
      source: 'smtp',
      from: '',
      subject: 'Scanned document',
      outcome: 'failed',
      reason: 'No sender address (From is missing)',
      attempts: 5,
      raw: true,
      minutesAgo: 25,
    },
    {
      source: 'smtp',
      from: 'jdoe@acme.test',
      subject: `Re: [Ticket #${tickets.vpn}] VPN drops every hour since Monday`,
      outcome: 'reply',
      ticketId: tickets.vpn,
      minutesAgo: 12,
    },
  ]);
});

test.afterAll(async () => {
  await server?.stop();
  if (consoleCopy) await rm(consoleCopy, { recursive: true, force: true });
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  errors.length = 0;
  page.on('console', (message) => {
    // The refused field answers 400 on purpose; nothing else may log an error.
    if (message.type() === 'error' && !/status of 400/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
});

test.afterEach(() => expect(errors, 'console errors').toEqual([]));

test('sets up an IMAP mailbox: a refused field shows at the field, the password stays write-only', async ({ page }) => {
  await signIn(page, server.url);
  await page.goto(`${server.url}/admin/settings/mailbox`);
  const form = page.getByRole('form', { name: 'Incoming mail' });
  await expect(form.getByText('Off: no mail is received')).toBeVisible();
  await expect(form.getByLabel('IMAP host')).toHaveCount(0);

  await form.getByRole('radio', { name: /IMAP mailbox/ }).check();
  await expect(form.getByText('Deskside reads a mailbox you already have')).toBeVisible();
  await form.getByLabel('IMAP host').fill('127.0.0.1');
  await form.getByLabel('User name').fill('helpdesk@acme.test');
  await form.getByLabel('Password', { exact: true }).fill('imap-s3cret');
  await form.getByLabel('IMAP port').fill('70000');
  await form.getByRole('button', { name: 'Save mailbox settings' }).click();
  await expect(form.getByText('a port from 1 to 65535')).toBeVisible();
  await expect(form.getByLabel('IMAP port')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toContainText('check the fields marked in red');

  const port = await freePort();
  await form.getByLabel('IMAP port').fill(String(port));
  await form.getByRole('button', { name: 'Save mailbox settings' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Mailbox settings saved.' })).toBeVisible();
  await expect(form.getByText('a port from 1 to 65535')).toHaveCount(0);

  await page.reload();
  await expect(form.getByRole('radio', { name: /IMAP mailbox/ })).toBeChecked();
  await expect(form.getByLabel('IMAP host')).toHaveValue('127.0.0.1');
  await expect(form.getByLabel('IMAP port')).toHaveValue(String(port));
  // Nothing listens on that port: the server's reader says why it is not running.
  await expect(form.getByText(/^Not running: /)).toBeVisible();
  const password = form.getByRole('group', { name: 'Password' });
  await expect(password).toContainText('Set');
  await expect(page.locator('body')).not.toContainText('imap-s3cret');

  // The check runs against the form (saved or not); whatever it finds, it says what kind of trouble.
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status').filter({ hasText: /failed\.|Connected\./ })).toBeVisible({ timeout: 30_000 });
});

test('switches to the SMTP listener with accepted addresses and refused strangers', async ({ page }) => {
  await signIn(page, server.url);
  await page.goto(`${server.url}/admin/settings/mailbox`);
  const form = page.getByRole('form', { name: 'Incoming mail' });
  await form.getByRole('radio', { name: /SMTP listener/ }).check();
  await expect(form.getByText('Point your MX or a forwarding rule at Deskside')).toBeVisible();
  await expect(form.getByLabel('IMAP host')).toHaveCount(0);
  const listenPort = await freePort();
  await form.getByLabel('Listen on port').fill(String(listenPort));
  const add = form.getByRole('textbox', { name: 'Add an accepted address' });
  await add.fill('help@acme.test');
  await add.press('Enter');
  await add.fill('Support@Acme.test');
  await form.getByRole('button', { name: 'Add address' }).click();
  await form.getByRole('radio', { name: /Refuse/ }).check();
  // STARTTLS with a certificate on the server: a key that is not its own is caught by the test, then the pair.
  certDir = await mkdtemp(join(tmpdir(), 'deskside-mailbox-tls-'));
  const tls = await selfSignedCert(certDir, 'listener');
  const stranger = await selfSignedCert(certDir, 'stranger');
  await form.getByLabel('STARTTLS certificate file (optional)').fill(tls.certFile);
  await form.getByLabel('Its key file').fill(stranger.keyFile);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByText('TLS failed.')).toBeVisible();
  await expect(form).toContainText('does not go with the certificate');
  await form.getByLabel('Its key file').fill(tls.keyFile);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form).toContainText('with STARTTLS (certificate for 127.0.0.1, valid until');
  await form.getByRole('button', { name: 'Save mailbox settings' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Mailbox settings saved.' })).toBeVisible();

  await page.reload();
  await expect(form.getByRole('radio', { name: /SMTP listener/ })).toBeChecked();
  // The server really listens there now, and offers STARTTLS with that certificate.
  await expect(form.getByText(`Listening on 127.0.0.1:${listenPort}`)).toBeVisible();
  await expect(form.getByLabel('STARTTLS certificate file (optional)')).toHaveValue(tls.certFile);
  await nodemailer
    .createTransport({ host: '127.0.0.1', port: listenPort, requireTLS: true, tls: { ca: tls.cert } })
    .verify();
  await expect(form.getByRole('list', { name: 'Accepted addresses' })).toContainText('help@acme.test');
  await expect(form.getByRole('list', { name: 'Accepted addresses' })).toContainText('Support@Acme.test');
  await expect(form.getByRole('radio', { name: /Refuse/ })).toBeChecked();
  // The IMAP password is kept while the listener is used.
  await form.getByRole('radio', { name: /IMAP mailbox/ }).check();
  await expect(form.getByRole('group', { name: 'Password' })).toContainText('Set');
  await form.getByRole('radio', { name: /SMTP listener/ }).check();
});

test('the import log shows what became of each message, by outcome, with the tickets linked', async ({ page }) => {
  await signIn(page, server.url);
  await page.goto(`${server.url}/admin/settings/mailbox`);
  const log = page.getByRole('table', { name: 'Incoming messages' });
  await expect(log.getByRole('row')).toHaveCount(9);
  // Newest first.
  await expect(log.getByRole('row').nth(1)).toContainText('Reply');
  await expect(log.getByRole('row').nth(8)).toContainText('New ticket');
  const failed = log.getByRole('row', { name: /Scanned document/ });
  await expect(failed).toContainText('Failed');
  await expect(failed).toContainText('No sender address (From is missing)');
  await expect(failed).toContainText('Message kept for the retry');
  await expect(failed).toContainText('5');
  const printer = log.getByRole('row', { name: /Printer on the 3rd floor jams/ });
  await expect(printer.getByRole('link', { name: `#${tickets.printer}` })).toHaveAttribute(
    'href',
    `/tickets/${tickets.printer}`,
  );

  // No serious accessibility finding on the tab, the log included (the rules accessibility.spec.ts checks).
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}: ${n.failureSummary}`)),
  ).toEqual([]);

  // The whole tab in one viewport (the sidebar runs the full height).
  await page.setViewportSize({ width: 1280, height: await page.locator('html').evaluate((root) => root.scrollHeight) });
  await page.screenshot({ path: `${SHOTS}/console-settings-mailbox.png` });

  const filter = page.getByRole('combobox', { name: 'Outcome' });
  await expect(filter.locator('option', { hasText: 'New ticket (2)' })).toHaveCount(1);
  await filter.selectOption('ticket');
  await expect(log.getByRole('row')).toHaveCount(3);
  await expect(log).not.toContainText('Scanned document');
  await filter.selectOption('not-served');
  await expect(log.getByRole('row')).toHaveCount(2);
  await expect(log).toContainText('Cheap printer toner, 80% off');
  await filter.selectOption('bounce');
  await expect(log).toContainText('Undelivered Mail Returned to Sender');
  await filter.selectOption('');
  await expect(log.getByRole('row')).toHaveCount(9);

  // A long log comes a page at a time.
  seedImports(
    Array.from({ length: 24 }, (_, i) => ({
      source: 'imap' as const,
      from: `user${i}@acme.test`,
      subject: `Newer message ${i}`,
      outcome: 'auto-reply' as const,
      minutesAgo: 5 - i / 10,
    })),
  );
  await page.reload();
  await expect(log.getByRole('row')).toHaveCount(26);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(log.getByRole('row')).toHaveCount(33);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
});

test('"Retry now" imports a failed message again: a whole one becomes a ticket, a broken one fails again', async ({
  page,
}) => {
  // Its import failed for a reason gone since (the database was down), its bytes kept. From a known employee: the
  // listener (set up above) refuses strangers, and a retry goes by the settings of now.
  const messageId = `<${randomUUID()}@client.example>`;
  seedImports([
    {
      source: 'smtp',
      from: 'a.kim@acme.test',
      subject: 'Badge reader at the side door',
      outcome: 'failed',
      reason: 'The database was unreachable',
      attempts: 5,
      rawText: [
        'From: Alex Kim <a.kim@acme.test>',
        'To: help@acme.test',
        'Subject: Badge reader at the side door',
        `Message-ID: ${messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The badge reader at the side door does not open since this morning.',
        '',
      ].join('\r\n'),
      messageId,
      minutesAgo: 1,
    },
  ]);
  await signIn(page, server.url);
  await page.goto(`${server.url}/admin/settings/mailbox`);
  const log = page.getByRole('table', { name: 'Incoming messages' });
  const badge = log.getByRole('row', { name: /Badge reader at the side door/ });
  await expect(badge).toContainText('Failed');
  await badge.getByRole('button', { name: /^Retry now/ }).click();
  await expect(badge).toContainText('New ticket');
  await expect(badge.getByRole('button', { name: /^Retry now/ })).toHaveCount(0);
  await badge.getByRole('link', { name: /^#\d+$/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Badge reader at the side door');

  await page.goBack();
  await page.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
  const scanned = log.getByRole('row', { name: /Scanned document/ });
  await expect(scanned).toContainText('5');
  await scanned.getByRole('button', { name: /^Retry now/ }).click();
  await expect(scanned.getByRole('cell').nth(6)).toHaveText('6');
  await expect(scanned).toContainText('Failed');
});
