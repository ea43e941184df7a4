// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OutboxItem, SnapshotPreview } from '../../../shared/ipc/contract';
import { healthySnapshot } from '../../../../test/fixtures/snapshot-factory';
import {
  article,
  baseHandlers,
  createFakeBridge,
  IpcError,
  settingsView,
  type FakeBridge,
} from '../../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../../test-support';

setupWindowTests();

const READY: SnapshotPreview = { state: 'ready', error: null, snapshot: healthySnapshot(), lockedOut: ['processes'] };

function sent(ticketId: number): OutboxItem {
  return {
    outboxId: 'mabc0001-0123456789',
    subject: 'The printer on floor 2 does not print',
    createdAt: '2026-03-12T09:30:00.000Z',
    state: 'sent',
    attempts: 1,
    nextAttemptAt: null,
    error: null,
    ticketId,
  };
}

function helpWindow(options: { allowScreenshots?: boolean } = {}): FakeBridge {
  const fake = createFakeBridge({
    ...baseHandlers(),
    'settings:get': async () =>
      settingsView([], {
        privacy: { redact: false, excludedSections: [], allowScreenshots: options.allowScreenshots ?? false },
      }),
    'snapshot:prepare': async () => READY,
    'snapshot:preview': async () => READY,
    'articles:search': async ({ query }) => ({
      hits: query.includes('printer')
        ? [{ id: 7, title: 'Printer on floor 2 does not print', snippet: 'Remove Floor2-HP…', score: 3 }]
        : [],
    }),
    'articles:get': async ({ articleId }) => article(articleId, { title: 'Printer on floor 2 does not print' }),
    'ticket:submit': async () => sent(42),
    'tickets:list': async () => ({ tickets: [], outbox: [], fromCache: false }),
  });
  renderWindow(fake, { screen: 'help' });
  return fake;
}

describe('Get help', () => {
  it('refuses an empty form: says what is missing, marks the fields invalid, focuses the first, sends nothing', async () => {
    const user = userEvent.setup();
    const fake = helpWindow();
    await user.click(await screen.findByRole('button', { name: 'Send to the help desk' }));

    const subject = screen.getByRole('textbox', { name: 'What is wrong?' });
    expect(subject.getAttribute('aria-invalid')).toBe('true');
    expect(subject.getAttribute('aria-describedby')).toBe('help-subject-error');
    expect(document.getElementById('help-subject-error')?.textContent).toBe('Tell us in a few words what is wrong.');
    expect(screen.getByRole('combobox', { name: 'What is it about?' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Choose what it is about.')).toBeTruthy();
    expect(document.activeElement).toBe(subject);

    await user.type(subject, 'VPN drops');
    await user.click(screen.getByRole('button', { name: 'Send to the help desk' }));
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'What is it about?' }));
    expect(fake.argsOf('ticket:submit')).toEqual([]);
  });

  it('sends exactly what the form says: fields, choices, the sections left out and the screenshot', async () => {
    const user = userEvent.setup();
    const fake = helpWindow({ allowScreenshots: true });
    fake.set({
      'screenshot:capture': async () => ({
        screenshotId: 'shot-1',
        dataUrl: 'data:image/png;base64,iVBORw0KGgo=',
        width: 320,
        height: 200,
        bytes: 10_000,
      }),
    });
    await user.type(await screen.findByRole('textbox', { name: 'What is wrong?' }), '  The printer on floor 2  ');
    await user.type(screen.getByRole('textbox', { name: /^Details/ }), 'It says offline.');
    await user.selectOptions(screen.getByRole('combobox', { name: 'What is it about?' }), 'printing');
    await user.click(screen.getByRole('radio', { name: /^Urgent/ }));
    await user.click(screen.getByRole('radio', { name: 'Everyone' }));

    const preview = screen.getByTestId('snapshot-preview');
    const software = await within(preview).findByRole('checkbox', { name: 'Installed software' });
    await user.click(software);
    expect(within(preview).getByText('15 sections will be sent')).toBeTruthy();
    // A section the privacy settings remove is shown as never sent, with no checkbox to put it back.
    expect(within(preview).queryByRole('checkbox', { name: 'Processes' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Add a screenshot of my screen' }));
    expect((await screen.findByRole('img', { name: 'Screenshot that will be attached' })).getAttribute('src')).toMatch(
      /^data:image\/png/,
    );

    await user.click(screen.getByRole('button', { name: 'Send to the help desk' }));
    expect(fake.argsOf('ticket:submit')).toEqual([
      {
        subject: 'The printer on floor 2',
        description: 'It says offline.',
        category: 'printing',
        urgency: 'high',
        impact: 'high',
        excludeSections: ['software'],
        includeSnapshot: true,
        screenshotId: 'shot-1',
      },
    ]);
    const confirmation = await screen.findByTestId('confirmation');
    expect(within(confirmation).getByRole('heading', { name: 'Sent to the help desk' })).toBeTruthy();
    expect(within(confirmation).getByRole('button', { name: 'Open ticket #42' })).toBeTruthy();
  });

  it('"Send no details" sends no snapshot; a refusal from main is shown and the form kept', async () => {
    const user = userEvent.setup();
    const fake = helpWindow();
    fake.set({
      'ticket:submit': async () => {
        throw new IpcError('outbox_unwritable', 'The request could not be saved: the disk is full.');
      },
    });
    await user.type(await screen.findByRole('textbox', { name: 'What is wrong?' }), 'Laptop is slow');
    await user.selectOptions(screen.getByRole('combobox', { name: 'What is it about?' }), 'hardware');
    await user.click(screen.getByRole('checkbox', { name: 'Send no details from my computer' }));
    await user.click(screen.getByRole('button', { name: 'Send to the help desk' }));

    expect(fake.argsOf('ticket:submit')).toMatchObject([{ includeSnapshot: false, urgency: 'medium', impact: 'low' }]);
    expect((await screen.findByRole('alert')).textContent).toBe('The request could not be saved: the disk is full.');
    expect(screen.getByRole('textbox', { name: 'What is wrong?' })).toHaveProperty('value', 'Laptop is slow');
    expect(screen.queryByTestId('confirmation')).toBeNull();
  });

  it('suggests matching self-help while typing, and opens one in place', async () => {
    const user = userEvent.setup();
    const fake = helpWindow();
    await user.type(await screen.findByRole('textbox', { name: 'What is wrong?' }), 'my printer is offline');
    const suggestions = await screen.findByTestId('suggestions');
    const toggle = within(suggestions).getByRole('button', { name: 'Printer on floor 2 does not print' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(fake.argsOf('articles:search').at(-1)).toEqual({ query: 'my printer is offline', limit: 3 });

    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await within(suggestions).findByText('Floor2-HP')).toBeTruthy();
    expect(fake.argsOf('articles:get')).toEqual([{ articleId: 7 }]);
  });
});
