// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MailboxSettingsDto, MailImportsDto } from '../../../shared/api/mailbox';
import { createFakeServer, type FakeRoutes } from '../../../../test/fakes/console-server.fake';
import { renderWithData } from '../../test-render';
import { MailboxTab } from './MailboxTab';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SAVED: MailboxSettingsDto = {
  mode: 'imap',
  imapHost: 'imap.acme.test',
  imapPort: 993,
  imapTls: 'tls',
  imapUser: 'help@acme.test',
  imapPasswordSet: true,
  imapFolder: 'INBOX',
  smtpHost: '127.0.0.1',
  smtpPort: 2525,
  smtpTlsCertFile: '',
  smtpTlsKeyFile: '',
  addresses: [],
  fromAddress: 'help@acme.test',
  unknownSenders: 'accept',
  maxMessageBytes: 25 * 1024 * 1024,
  updatedAt: '2026-03-01T00:00:00.000Z',
};

const NO_IMPORTS: MailImportsDto = {
  imports: [],
  nextCursor: null,
  counts: { ticket: 0, reply: 0, 'auto-reply': 0, bounce: 0, loop: 0, 'not-served': 0, failed: 0 },
};

function mailboxTab(routes: FakeRoutes = {}) {
  const server = createFakeServer({
    'GET /api/v1/mail/mailbox': { body: SAVED },
    'PUT /api/v1/mail/mailbox': (r) => ({ body: { ...SAVED, ...(r.body as object) } }),
    'GET /api/v1/mail/imports': { body: NO_IMPORTS },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<MailboxTab />);
  return server;
}

describe('Settings → Mailbox', () => {
  it('keeps the stored password unless replaced, and shows a refused field at the field', async () => {
    const user = userEvent.setup();
    const server = mailboxTab({
      'PUT /api/v1/mail/mailbox': {
        status: 400,
        body: {
          error: {
            code: 'invalid_request',
            message: 'body.imapPort: a port from 1 to 65535',
            details: [{ path: 'body.imapPort', message: 'a port from 1 to 65535' }],
          },
        },
      },
    });
    const form = await screen.findByRole('form', { name: 'Incoming mail' });
    expect(within(form).getByRole('group', { name: 'Password' }).textContent).toContain('Set');
    await user.clear(within(form).getByLabelText('IMAP port'));
    await user.type(within(form).getByLabelText('IMAP port'), '0');
    await user.click(within(form).getByRole('button', { name: 'Save mailbox settings' }));
    const port = within(form).getByLabelText('IMAP port');
    expect(port.getAttribute('aria-invalid')).toBe('true');
    expect(port.getAttribute('aria-describedby')).toBe('mailbox-imap-port-error');
    expect(document.getElementById('mailbox-imap-port-error')?.textContent).toBe('a port from 1 to 65535');
    const sent = server.made('PUT', '/api/v1/mail/mailbox')[0]!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ mode: 'imap', imapPort: 0, maxMessageBytes: 25 * 1024 * 1024 });
    expect(sent).not.toHaveProperty('imapPassword');

    // Replace: the new password goes with the next save.
    server.route({ 'PUT /api/v1/mail/mailbox': (r) => ({ body: { ...SAVED, ...(r.body as object) } }) });
    await user.click(within(form).getByRole('button', { name: 'Replace' }));
    await user.type(within(form).getByLabelText('New password'), 'n3w-secret');
    await user.clear(within(form).getByLabelText('IMAP port'));
    await user.type(within(form).getByLabelText('IMAP port'), '993');
    await user.click(within(form).getByRole('button', { name: 'Save mailbox settings' }));
    expect(await within(form).findByText('Mailbox settings saved.')).toBeTruthy();
    expect(server.made('PUT', '/api/v1/mail/mailbox')[1]!.body).toMatchObject({ imapPassword: 'n3w-secret' });
  });

  it('shows only the listener’s fields in SMTP mode, with the addresses editor and the test result', async () => {
    const user = userEvent.setup();
    const server = mailboxTab({
      'POST /api/v1/mail/mailbox/test': { body: { ok: false, kind: 'bind', message: 'Port 25 is in use' } },
    });
    const form = await screen.findByRole('form', { name: 'Incoming mail' });
    await user.click(within(form).getByRole('radio', { name: /SMTP listener/ }));
    expect(within(form).queryByLabelText('IMAP host')).toBeNull();
    expect(within(form).getByText(/mail to help@acme.test .* is accepted/)).toBeTruthy();
    await user.type(within(form).getByRole('textbox', { name: 'Add an accepted address' }), 'Support@Acme.test{Enter}');
    await user.type(within(form).getByLabelText('STARTTLS certificate file (optional)'), '/etc/ssl/help.pem');
    await user.type(within(form).getByLabelText('Its key file'), '/etc/ssl/help-key.pem');
    expect(within(form).getByRole('list', { name: 'Accepted addresses' }).textContent).toContain('Support@Acme.test');
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByText(/Port 25 is in use/)).toBeTruthy();
    expect(within(form).getByText('Listening address failed.')).toBeTruthy();
    expect(server.made('POST', '/api/v1/mail/mailbox/test')[0]!.body).toMatchObject({
      mode: 'smtp',
      addresses: ['Support@Acme.test'],
      smtpTlsCertFile: '/etc/ssl/help.pem',
      smtpTlsKeyFile: '/etc/ssl/help-key.pem',
    });
  });
});
