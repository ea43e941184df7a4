// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertRuleDto, TicketIncidentDto } from '../../../shared/api/netmon-alerts';
import { createFakeServer } from '../../../../test/fakes/console-server.fake';
import { renderWithData } from '../../test-render';
import { IncidentBadge } from '../../tickets/IncidentBadge';
import { AlertRulesTab } from './AlertRulesTab';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const RULE: AlertRuleDto = {
  id: 7,
  name: 'Floor loss',
  enabled: true,
  metric: 'loss',
  threshold: 5,
  resolveThreshold: 2,
  target: 'gateway',
  scope: 'site',
  deviceId: null,
  site: 'site:floor-3',
  minSharePct: 30,
  minDevices: 2,
  windowMinutes: 5,
  forMinutes: 2,
  resolveMinutes: 5,
  announcement: { title: null, body: null, severity: 'warning' },
  webhook: { url: 'https://hooks.example.test/x', secretSet: true },
  pending: 0,
  firing: 1,
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
};

describe('Alert rules settings', () => {
  it('lists rules with their firing count, adds one with exactly the fields given, switches one off and deletes it', async () => {
    const user = userEvent.setup();
    const server = createFakeServer({
      'GET /api/v1/netmon/alert-rules': { body: { rules: [RULE] } },
      'POST /api/v1/netmon/alert-rules': { status: 201, body: { ...RULE, id: 8 } },
      'PUT /api/v1/netmon/alert-rules/:id': { body: RULE },
      'DELETE /api/v1/netmon/alert-rules/:id': { status: 204, body: null },
    });
    vi.stubGlobal('fetch', server.fetch);
    renderWithData(<AlertRulesTab />);
    const list = await screen.findByRole('list', { name: 'Alert rules' });
    await within(list).findByText('Floor loss');
    expect(within(list).getByText('1 firing')).toBeTruthy();

    const form = screen.getByRole('form', { name: 'New alert rule' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'Mail down');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Metric' }), 'availability');
    await user.clear(within(form).getByRole('spinbutton', { name: 'Threshold' }));
    await user.type(within(form).getByRole('spinbutton', { name: 'Threshold' }), '50');
    await user.type(within(form).getByRole('textbox', { name: 'Target (optional)' }), 'it:mail');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Scope' }), 'target');
    await user.click(within(form).getByRole('button', { name: 'Add rule' }));
    await vi.waitFor(() => expect(server.made('POST', '/api/v1/netmon/alert-rules')).toHaveLength(1));
    expect(server.made('POST', '/api/v1/netmon/alert-rules')[0]!.body).toEqual({
      name: 'Mail down',
      metric: 'availability',
      threshold: 50,
      target: 'it:mail',
      scope: 'target',
      minSharePct: 30,
      minDevices: 2,
      windowMinutes: 5,
      forMinutes: 2,
      resolveMinutes: 5,
      announcement: { severity: 'warning' },
      webhook: null,
    });

    await user.click(within(list).getByRole('checkbox', { name: 'Enabled' }));
    await vi.waitFor(() => expect(server.made('PUT', '/api/v1/netmon/alert-rules/7')).toHaveLength(1));
    // Switching off sends the rule as it is, without a secret (the server keeps the stored one).
    expect(server.made('PUT', '/api/v1/netmon/alert-rules/7')[0]!.body).toMatchObject({
      enabled: false,
      site: 'site:floor-3',
      webhook: { url: 'https://hooks.example.test/x' },
    });
    await user.click(within(list).getByRole('button', { name: 'Delete Floor loss' }));
    await vi.waitFor(() => expect(server.made('DELETE', '/api/v1/netmon/alert-rules/7')).toHaveLength(1));
  });
});

describe('Incident badge on a ticket', () => {
  const incident: TicketIncidentDto['incident'] = {
    id: 3,
    ruleId: 7,
    ruleName: 'Floor loss',
    scopeKey: 'site:site:floor-3',
    scopeName: 'Floor 3',
    state: 'firing',
    metric: 'loss',
    threshold: 5,
    value: 40,
    peak: 50,
    startedAt: '2026-03-02T09:02:00.000Z',
    resolvedAt: null,
    resolution: null,
    ticketId: 41,
    announcementId: 9,
    affected: [{ deviceId: 'd1', hostname: 'a' }],
    linkedTickets: [{ ticketId: 42, deviceId: 'd2', how: 'filed' }],
  };

  it('shows a linked ticket its incident with a link to the incident ticket, and nothing for a ticket without one', async () => {
    const server = createFakeServer({
      'GET /api/v1/tickets/42/incident': { body: { role: 'linked', incident } },
      'GET /api/v1/tickets/43/incident': { body: { role: null, incident: null } },
    });
    vi.stubGlobal('fetch', server.fetch);
    renderWithData(<IncidentBadge ticketId={42} />);
    const panel = await screen.findByRole('complementary', { name: 'Network incident' });
    expect(within(panel).getByText('Network incident · firing')).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'Incident ticket #41' }).getAttribute('href')).toBe('/tickets/41');
    cleanup();
    renderWithData(<IncidentBadge ticketId={43} />);
    await vi.waitFor(() => expect(server.made('GET', '/api/v1/tickets/43/incident')).toHaveLength(1));
    expect(screen.queryByRole('complementary', { name: 'Network incident' })).toBeNull();
  });
});
