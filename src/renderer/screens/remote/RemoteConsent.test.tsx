// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RemoteSessionPrompt } from '../../../shared/ipc/contract';
import { baseHandlers, createFakeBridge, IpcError } from '../../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../../test-support';

setupWindowTests();

const remotePrompt = (over: Partial<RemoteSessionPrompt> = {}): RemoteSessionPrompt => ({
  sessionId: '0b7c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
  kind: 'view',
  requestedBy: 'Sam Rivera',
  reason: 'Check the mail settings with you',
  ticketId: 12,
  expiresAt: '2026-12-04T11:02:00.000Z',
  state: 'asking',
  stage: 'first',
  secondConsent: false,
  startedAt: null,
  ...over,
});

describe('the remote session consent prompt', () => {
  it('a view request: who, why, what it means, the expiry; Allow answers main and the next event closes it', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'remote:current': async () => ({ session: remotePrompt() }),
      'remote:answer': async () => ({}),
    });
    renderWindow(fake);
    const dialog = await screen.findByRole('alertdialog', { name: 'Sam Rivera asks to see your screen' });
    expect(within(dialog).getByText('Check the mail settings with you')).toBeTruthy();
    expect(within(dialog).getByText(/The technician will see your screen/).textContent).toContain(
      'They cannot use your mouse or keyboard.',
    );
    expect(within(dialog).getByText(/About ticket #12\./).textContent).toMatch(
      /If you do not answer by .+, the request is declined\./,
    );
    expect(dialog.getAttribute('data-kind')).toBe('view');
    // Nothing runs yet: no banner.
    expect(screen.queryByRole('region', { name: 'Remote session' })).toBeNull();

    await user.click(within(dialog).getByRole('button', { name: 'Allow' }));
    expect(fake.argsOf('remote:answer')).toEqual([
      { sessionId: remotePrompt().sessionId, allow: true, stage: 'first' },
    ]);
    expect((within(dialog).getByRole('button', { name: 'Deny' }) as HTMLButtonElement).disabled).toBe(true);
    fake.emit('remote:session', { session: null });
    await expect.poll(() => screen.queryByRole('alertdialog')).toBeNull();
  });

  it('a control request is worded apart: "control this computer", mouse and keyboard; Deny answers', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({ ...baseHandlers(), 'remote:answer': async () => ({}) });
    renderWindow(fake);
    expect(await screen.findByRole('heading', { level: 1 })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fake.emit('remote:session', { session: remotePrompt({ kind: 'control', reason: null, ticketId: null }) });
    const dialog = await screen.findByRole('alertdialog', { name: 'Sam Rivera asks to control this computer' });
    expect(within(dialog).getByText('Remote control')).toBeTruthy();
    expect(within(dialog).getByText(/can use your mouse and keyboard/)).toBeTruthy();
    expect(within(dialog).queryByText('Why:')).toBeNull();
    expect(within(dialog).queryByText(/About ticket/)).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(fake.argsOf('remote:answer')).toEqual([
      { sessionId: remotePrompt().sessionId, allow: false, stage: 'first' },
    ]);
  });

  it("IT's second consent for control: a separate question, answered by its own stage", async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({ ...baseHandlers(), 'remote:answer': async () => ({}) });
    renderWindow(fake);
    expect(await screen.findByRole('heading', { level: 1 })).toBeTruthy();
    fake.emit('remote:session', { session: remotePrompt({ kind: 'control', secondConsent: true }) });
    const first = await screen.findByRole('alertdialog', { name: 'Sam Rivera asks to control this computer' });
    expect(within(first).getByText(/first of two questions/)).toBeTruthy();
    expect(within(first).getByText(/asks a second question before anyone controls this computer/)).toBeTruthy();
    await user.click(within(first).getByRole('button', { name: 'Allow' }));

    fake.emit('remote:session', { session: remotePrompt({ kind: 'control', secondConsent: true, stage: 'confirm' }) });
    const second = await screen.findByRole('alertdialog', {
      name: 'Allow Sam Rivera to use your mouse and keyboard?',
    });
    expect(within(second).getByText(/confirm control separately/)).toBeTruthy();
    // The buttons are live again for the new question.
    const allow = within(second).getByRole('button', { name: 'Allow control' }) as HTMLButtonElement;
    expect(allow.disabled).toBe(false);
    await user.click(allow);
    expect(fake.argsOf('remote:answer')).toEqual([
      { sessionId: remotePrompt().sessionId, allow: true, stage: 'first' },
      { sessionId: remotePrompt().sessionId, allow: true, stage: 'confirm' },
    ]);
  });

  it('an answer main refuses (the request expired meanwhile) is shown and the buttons come back', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'remote:current': async () => ({ session: remotePrompt() }),
      'remote:answer': async () => {
        throw new IpcError('not-found', 'That request is no longer waiting for this answer.');
      },
    });
    renderWindow(fake);
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Allow' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'That request is no longer waiting for this answer.',
    );
    expect((within(dialog).getByRole('button', { name: 'Allow' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
