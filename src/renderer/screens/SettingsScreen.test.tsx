// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcArg, SettingsView } from '../../shared/ipc/contract';
import { baseHandlers, createFakeBridge, IpcError, settingsView } from '../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../test-support';

setupWindowTests();

/** A settings store behind the fake: applies changes like main does, refusing managed keys. */
function settingsWindow(initial: SettingsView) {
  let view = initial;
  const fake = createFakeBridge({
    ...baseHandlers(),
    'settings:get': async () => view,
    'settings:set': async (change: IpcArg<'settings:set'>) => {
      if (change.privacy?.redact !== undefined && view.managed.includes('privacy.redact'))
        throw new IpcError('managed', 'Your IT department set this.');
      const { privacy, ...rest } = change;
      view = {
        ...view,
        effective: { ...view.effective, ...rest, privacy: { ...view.effective.privacy, ...privacy } },
      };
      return view;
    },
  });
  renderWindow(fake, { screen: 'settings' });
  return fake;
}

describe('Settings', () => {
  it('locks the keys IT manages and says so; the others save through settings:set', async () => {
    const user = userEvent.setup();
    const fake = settingsWindow(settingsView(['serverUrl', 'privacy.redact']));

    const server = await screen.findByRole('textbox', { name: 'Server address' });
    expect(server).toHaveProperty('disabled', true);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    const redact = screen.getByRole('checkbox', { name: 'Hide identifying details' });
    expect(redact).toHaveProperty('disabled', true);
    expect(screen.getAllByText('Set by your IT department')).toHaveLength(2);

    const notifications = screen.getByRole('checkbox', { name: 'Show notifications' });
    expect(notifications).toHaveProperty('checked', true);
    await user.click(notifications);
    expect(fake.argsOf('settings:set')).toEqual([{ notifications: false }]);
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(notifications).toHaveProperty('checked', false);

    await user.click(screen.getByRole('checkbox', { name: 'Installed software' }));
    await screen.findByRole('checkbox', { name: 'Installed software', checked: true });
    await user.click(screen.getByRole('checkbox', { name: 'Operating system' }));
    // Sections are sent in the contract's order, whatever order they were ticked in.
    expect(fake.argsOf('settings:set').slice(1)).toEqual([
      { privacy: { excludedSections: ['software'] } },
      { privacy: { excludedSections: ['os', 'software'] } },
    ]);
  });

  it('saves a new server address (trimmed) and shows a refusal from main as an alert', async () => {
    const user = userEvent.setup();
    const fake = settingsWindow(settingsView([], { serverUrl: null }));
    const server = await screen.findByRole('textbox', { name: 'Server address' });
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toHaveProperty('disabled', true);
    await user.type(server, ' https://help.acme.example ');
    await user.click(save);
    expect(fake.argsOf('settings:set')).toEqual([{ serverUrl: 'https://help.acme.example' }]);

    fake.set({
      'settings:set': async () => {
        throw new IpcError('invalid_url', 'The address must start with https://');
      },
    });
    await user.click(screen.getByRole('checkbox', { name: 'Start when I sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The address must start with https://');
  });
});
