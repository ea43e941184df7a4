// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SlaPolicyDto } from '../../../shared/api/sla';
import { apiError, createFakeServer, type FakeRoutes } from '../../../../test/fakes/console-server.fake';
import { SlaTab } from './SlaTab';
import { renderWithData } from '../../test-render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const P2: SlaPolicyDto = {
  id: 2,
  priority: 'p2',
  firstResponseMinutes: 60,
  resolutionMinutes: 480,
  businessHours: null,
  warningPercent: 75,
  updatedAt: '2026-03-01T00:00:00.000Z',
};

function slaTab(routes: FakeRoutes = {}) {
  const server = createFakeServer({
    'GET /api/v1/sla/policies': { body: { policies: [P2] } },
    'PUT /api/v1/sla/policies': (r) => ({ body: { ...P2, ...(r.body as object) } }),
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<SlaTab />);
  return server;
}

// The label also wraps the helper text ("1 h"), so the accessible name starts with the field's words.
const field = (form: HTMLElement, name: string) =>
  within(form).getByRole('spinbutton', { name: (n) => n.startsWith(name) });

describe('SLA settings', () => {
  it('saves targets and business hours as the server expects them', async () => {
    const user = userEvent.setup();
    const server = slaTab();
    const form = await screen.findByRole('form', { name: 'P2 · High policy' });
    await user.clear(field(form, 'First response (minutes)'));
    await user.type(field(form, 'First response (minutes)'), '30');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Clock runs' }), 'business');
    const days = within(form).getByRole('group', { name: 'Working days for P2 · High' });
    await user.click(within(days).getByRole('checkbox', { name: 'Fri' }));
    await user.click(within(days).getByRole('checkbox', { name: 'Sat' }));
    // Monday off and on again ends up last in the draft; the request lists the days in order.
    await user.click(within(days).getByRole('checkbox', { name: 'Mon' }));
    await user.click(within(days).getByRole('checkbox', { name: 'Mon' }));
    const zone = within(form).getByRole('combobox', { name: 'Time zone' });
    await user.clear(zone);
    await user.type(zone, 'Europe/Berlin');
    fireEvent.change(within(form).getByLabelText('From'), { target: { value: '08:00' } });
    await user.type(within(form).getByRole('textbox', { name: /^Holidays/ }), '2026-12-25, 2026-12-26');
    await user.click(within(form).getByRole('button', { name: 'Save P2' }));

    expect(server.made('PUT', '/api/v1/sla/policies').map((r) => r.body)).toEqual([
      {
        priority: 'p2',
        firstResponseMinutes: 30,
        resolutionMinutes: 480,
        warningPercent: 75,
        businessHours: {
          timezone: 'Europe/Berlin',
          days: [1, 2, 3, 4, 6],
          start: '08:00',
          end: '17:00',
          holidays: ['2026-12-25', '2026-12-26'],
        },
      },
    ]);
    expect((await within(form).findByRole('status')).textContent).toBe('Saved: tickets filed from now on use it');
  });

  it('refuses inconsistent targets and hours locally, naming the problem', async () => {
    const user = userEvent.setup();
    const server = slaTab();
    const form = await screen.findByRole('form', { name: 'P2 · High policy' });
    await user.clear(field(form, 'Resolution (minutes)'));
    await user.type(field(form, 'Resolution (minutes)'), '30');
    await user.click(within(form).getByRole('button', { name: 'Save P2' }));
    expect(within(form).getByRole('alert').textContent).toBe(
      'The resolution target must be at least the first-response target.',
    );

    await user.clear(field(form, 'Resolution (minutes)'));
    await user.type(field(form, 'Resolution (minutes)'), '480');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Clock runs' }), 'business');
    const zone = within(form).getByRole('combobox', { name: 'Time zone' });
    await user.clear(zone);
    await user.type(zone, 'Mars/Olympus');
    await user.click(within(form).getByRole('button', { name: 'Save P2' }));
    expect(within(form).getByRole('alert').textContent).toContain('“Mars/Olympus” is not a time zone');

    await user.clear(zone);
    await user.type(zone, 'UTC');
    fireEvent.change(within(form).getByLabelText('To'), { target: { value: '08:00' } });
    await user.click(within(form).getByRole('button', { name: 'Save P2' }));
    expect(within(form).getByRole('alert').textContent).toBe('Business hours must end after they start.');
    expect(server.made('PUT', '/api/v1/sla/policies')).toEqual([]);
  });

  it('shows the server refusal with its code', async () => {
    const user = userEvent.setup();
    slaTab({ 'PUT /api/v1/sla/policies': apiError(403, 'forbidden', 'Only admins can change SLA policies.') });
    const form = await screen.findByRole('form', { name: 'P2 · High policy' });
    await user.click(within(form).getByRole('button', { name: 'Save P2' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'Only admins can change SLA policies. (forbidden)',
    );
    expect(within(form).queryByRole('status')).toBeNull();
  });
});
