// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CommandPrompt } from '../../../shared/ipc/contract';
import { baseHandlers, createFakeBridge, IpcError } from '../../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../../test-support';

setupWindowTests();

const prompt = (over: Partial<CommandPrompt> = {}): CommandPrompt => ({
  commandId: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  action: 'net.ping',
  title: 'Ping',
  description: 'Sends ICMP echo requests to a host and reports loss and round-trip times.',
  risk: 'reads',
  alwaysAsks: false,
  params: { host: '127.0.0.1', count: 2 },
  requestedBy: 'Tess Technician',
  reason: 'Checking the network stack',
  ticketId: 7,
  expiresAt: '2026-12-04T11:00:00.000Z',
  ...over,
});

describe('the consent prompt', () => {
  it('shows who asks, why, what exactly will run; Allow answers main and the next event closes it', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'commands:pending': async () => ({ prompts: [prompt()] }),
      'commands:answer': async () => ({}),
    });
    renderWindow(fake);
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Tess Technician asks to run “Ping” on this computer',
    });
    expect(within(dialog).getByText('Checking the network stack')).toBeTruthy();
    expect(within(dialog).getByText(/It only reads information from this computer/)).toBeTruthy();
    const list = within(dialog).getByLabelText('Exactly what will run');
    expect(list.textContent).toBe('host127.0.0.1count2');
    expect(within(dialog).getByText(/About ticket #7/)).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'Allow' }));
    expect(fake.argsOf('commands:answer')).toEqual([{ commandId: prompt().commandId, allow: true }]);
    expect((within(dialog).getByRole('button', { name: 'Deny' }) as HTMLButtonElement).disabled).toBe(true);
    fake.emit('commands:pending', { prompts: [] });
    await expect.poll(() => screen.queryByRole('alertdialog')).toBeNull();
  });

  it('appears when main pushes a prompt; Deny answers; an answer main refuses is shown and can be retried', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'commands:answer': async () => {
        throw new IpcError('not-found', 'That request is no longer waiting for an answer.');
      },
    });
    renderWindow(fake);
    expect(await screen.findByRole('heading', { level: 1 })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fake.emit('commands:pending', {
      prompts: [
        prompt({
          action: 'process.end',
          title: 'End a process',
          risk: 'changes',
          alwaysAsks: true,
          params: { pid: 4242, name: 'stuck-app' },
          reason: null,
        }),
      ],
    });
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText(/It changes something on this computer/)).toBeTruthy();
    expect(within(dialog).getByText(/always asks you first/)).toBeTruthy();
    expect(within(dialog).queryByText('Why:')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(fake.argsOf('commands:answer')).toEqual([{ commandId: prompt().commandId, allow: false }]);
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'That request is no longer waiting for an answer.',
    );
    expect((within(dialog).getByRole('button', { name: 'Deny' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows an IT script verbatim, with its values apart (each passed as one argument)', async () => {
    const body = '#!/bin/bash\n# Clears the Teams cache\nrm -rf -- "$HOME/.config/Microsoft/Teams/$1/Cache"\n';
    const fake = createFakeBridge({
      ...baseHandlers(),
      'commands:pending': async () => ({
        prompts: [
          prompt({
            action: 'script.teams-cache',
            title: 'Clear the Teams cache',
            description: 'Quits Teams and deletes its cache folder.',
            risk: 'changes',
            params: { profile: 'Work; rm -rf /' },
            script: { shell: 'bash', body },
          }),
        ],
      }),
    });
    renderWindow(fake);
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Tess Technician asks to run “Clear the Teams cache” on this computer',
    });
    const shown = within(dialog).getByLabelText('The script, exactly as it will run');
    expect(shown.tagName).toBe('PRE');
    // Exactly the signed text: every line, quote and "$" as it will run.
    expect(shown.textContent).toBe(body);
    expect(within(dialog).getByText('The script (bash), exactly as it will run:')).toBeTruthy();
    expect(within(dialog).getByLabelText('The values passed to the script').textContent).toBe('profileWork; rm -rf /');
    expect(within(dialog).getByText(/It changes something on this computer/)).toBeTruthy();
    expect(within(dialog).queryByLabelText('Exactly what will run')).toBeNull();
  });
});
