// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RemoteSessionPrompt } from '../../../shared/ipc/contract';
import { baseHandlers, createFakeBridge, IpcError } from '../../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../../test-support';
import { elapsedClock } from './RemoteBanner';

setupWindowTests();
afterEach(() => vi.useRealTimers());

const running = (over: Partial<RemoteSessionPrompt> = {}): RemoteSessionPrompt => ({
  sessionId: '0b7c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
  kind: 'control',
  requestedBy: 'Sam Rivera',
  reason: 'Check the mail settings with you',
  ticketId: 12,
  expiresAt: '2026-12-04T11:02:00.000Z',
  state: 'active',
  stage: 'first',
  secondConsent: false,
  startedAt: new Date(Date.now() - 65_000).toISOString(),
  ...over,
});

describe('the remote session banner', () => {
  it('says who controls the screen and for how long, on every screen; Stop ends it and the event removes it', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'remote:current': async () => ({ session: running() }),
      'remote:stop': async () => ({}),
      'tickets:list': async () => ({ tickets: [], outbox: [], fromCache: false }),
    });
    renderWindow(fake);
    const banner = await screen.findByRole('region', { name: 'Remote session' });
    expect(within(banner).getByText('Sam Rivera is controlling your screen')).toBeTruthy();
    expect(within(banner).getByLabelText('Elapsed time').textContent).toMatch(/^1:0[5-9]$/);
    expect(within(banner).getByText(/ticket #12/)).toBeTruthy();
    // No prompt while it runs.
    expect(screen.queryByRole('alertdialog')).toBeNull();

    // Another screen: the banner stays.
    await user.click(within(screen.getByRole('navigation')).getByRole('button', { name: /My tickets/ }));
    await screen.findByRole('heading', { level: 1, name: /My tickets/ });
    expect(screen.getByRole('region', { name: 'Remote session' })).toBeTruthy();

    await user.click(within(banner).getByRole('button', { name: 'Stop' }));
    expect(fake.argsOf('remote:stop')).toEqual([{ sessionId: running().sessionId }]);
    expect((within(banner).getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(true);
    fake.emit('remote:session', { session: null });
    await expect.poll(() => screen.queryByRole('region', { name: 'Remote session' })).toBeNull();
  });

  it('a view session says viewing; the time ticks; a Stop main refuses is shown', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-12-04T11:00:00.000Z'));
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const fake = createFakeBridge({
      ...baseHandlers(),
      'remote:stop': async () => {
        throw new IpcError('not-found', 'That remote session is not running any more.');
      },
    });
    renderWindow(fake);
    expect(await screen.findByRole('heading', { level: 1 })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Remote session' })).toBeNull();
    fake.emit('remote:session', {
      session: running({ kind: 'view', ticketId: null, startedAt: '2026-12-04T10:59:18.000Z' }),
    });
    const banner = await screen.findByRole('region', { name: 'Remote session' });
    expect(within(banner).getByText('Sam Rivera is viewing your screen')).toBeTruthy();
    expect(within(banner).getByLabelText('Elapsed time').textContent).toBe('0:42');
    await act(async () => void vi.advanceTimersByTime(3000));
    expect(within(banner).getByLabelText('Elapsed time').textContent).toBe('0:45');
    await user.click(within(banner).getByRole('button', { name: 'Stop' }));
    expect((await within(banner).findByRole('alert')).textContent).toBe('That remote session is not running any more.');
    expect((within(banner).getByRole('button', { name: 'Stop' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('formats the elapsed time as a clock', () => {
    expect(elapsedClock(0)).toBe('0:00');
    expect(elapsedClock(42_999)).toBe('0:42');
    expect(elapsedClock(12 * 60_000 + 5000)).toBe('12:05');
    expect(elapsedClock(3_723_000)).toBe('1:02:03');
    expect(elapsedClock(-5000)).toBe('0:00');
  });
});
