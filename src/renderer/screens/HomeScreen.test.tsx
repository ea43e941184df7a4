// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  agentState,
  announcement,
  appInfo,
  baseHandlers,
  createFakeBridge,
} from '../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../test-support';

setupWindowTests();

describe('Home', () => {
  it('greets the computer, shows current announcements most severe first, and follows main’s events', async () => {
    const user = userEvent.setup();
    let announcements = [
      announcement(1, { title: 'VPN maintenance on Saturday', severity: 'info' }),
      announcement(2, { title: 'Email is slow this morning', severity: 'warning' }),
      announcement(3, { title: 'Expired notice', expiresAt: '2021-01-01T00:00:00.000Z' }),
    ];
    const fake = createFakeBridge({
      ...baseHandlers(agentState({ unread: 3 })),
      'announcements:list': async () => ({ announcements }),
    });
    renderWindow(fake);

    expect(await screen.findByRole('heading', { level: 1, name: 'Hello from lt-jdoe-0042' })).toBeTruthy();
    const section = screen.getByRole('region', { name: 'Announcements' });
    await within(section).findByText('Email is slow this morning');
    expect(
      within(section)
        .getAllByRole('article')
        .map((a) => a.getAttribute('aria-label')),
    ).toEqual(['warning: Email is slow this morning', 'info: VPN maintenance on Saturday']);
    expect(screen.getByRole('button', { name: /^My tickets\s*3 new replies$/ })).toBeTruthy();
    expect(screen.getByRole('navigation').querySelector('[aria-current="page"]')?.textContent).toBe('Home');
    expect(within(screen.getByRole('navigation')).getByRole('button', { name: 'My tickets, 3 unread' })).toBeTruthy();

    announcements = [announcement(4, { title: 'Mail is back', severity: 'info' })];
    fake.emit('content:changed', { kind: 'announcements' });
    expect(await within(section).findByText('Mail is back')).toBeTruthy();

    fake.emit('state', agentState({ unread: 0, online: false }));
    expect(await screen.findByText('Offline')).toBeTruthy();
    expect(screen.queryByText('3 new replies')).toBeNull();
    expect(within(screen.getByRole('navigation')).getByRole('button', { name: 'My tickets' })).toBeTruthy();

    fake.emit('navigate', { screen: 'about' });
    expect(await screen.findByRole('heading', { level: 1, name: 'About Acme IT Help' })).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'helpdesk@acme.example' }));
    expect(fake.argsOf('external:open')).toEqual([{ url: 'mailto:helpdesk@acme.example' }]);
  });

  it('says when the agent does not answer', async () => {
    const fake = createFakeBridge({
      'app:info': async () => appInfo(),
      'announcements:list': async () => ({ announcements: [] }),
    });
    renderWindow(fake);
    expect((await screen.findByRole('alert')).textContent).toContain('Deskside is not responding');
    expect(await screen.findByText('No announcements from IT right now.')).toBeTruthy();
  });
});
