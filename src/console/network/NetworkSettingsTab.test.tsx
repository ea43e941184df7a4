// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NetmonSettingsDto, ServerCheckDto } from '../../shared/api/netmon';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { renderWithData } from '../test-render';
import { NetworkSettingsTab } from './NetworkSettingsTab';

/*
 * Settings → Network: the exact requests its forms make (only the fields of each target's method and each
 * check's kind), the server's refusal shown as it words it, and what is listed after a save.
 */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AT = '2026-03-02T09:00:00.000Z';
const PLAN: NetmonSettingsDto['plan'] = {
  enabled: true,
  intervalSeconds: 60,
  probes: 4,
  timeoutMs: 2000,
  gateway: true,
  gatewayTcpPort: 53,
  dns: true,
  server: true,
  targets: [{ slug: 'mail', label: 'Mail', method: 'tcp', host: 'mail.example.com', port: 587 }],
  bandwidthEveryHours: 0,
  bandwidthBytes: 10 * 1024 * 1024,
};
const CHECK: ServerCheckDto = {
  slug: 'intranet',
  target: 'check:intranet',
  definition: {
    kind: 'http',
    label: 'Intranet',
    scheme: 'https',
    host: 'intranet.example.com',
    path: '/',
    verifyTls: true,
    intervalSeconds: 60,
    timeoutMs: 5000,
    enabled: true,
  },
  health: 'ok',
  lastAt: AT,
  lastRttMs: 42,
  lastError: null,
  certExpiresAt: null,
  certDaysLeft: null,
  updatedAt: AT,
};

function setup(routes: FakeRoutes = {}) {
  let settings: NetmonSettingsDto = {
    plan: PLAN,
    retention: { rawDays: 7, fiveMinuteDays: 90, hourlyDays: 730 },
    updatedAt: null,
  };
  let checks = [CHECK];
  const server = createFakeServer({
    'GET /api/v1/netmon/settings': () => ({ body: settings }),
    'PUT /api/v1/netmon/settings': (r) => {
      settings = { ...(r.body as NetmonSettingsDto), updatedAt: AT };
      return { body: settings };
    },
    'GET /api/v1/netmon/sites': { body: { sites: [{ slug: 'hq', name: 'HQ', subnets: ['10.0.0.0/8'], ssids: [] }] } },
    'PUT /api/v1/netmon/sites': (r) => ({ body: r.body }),
    'GET /api/v1/netmon/checks': () => ({ body: { checks } }),
    'PUT /api/v1/netmon/checks/:slug': (r) => {
      const slug = r.path.split('/').pop()!;
      const made = { ...CHECK, slug, target: `check:${slug}`, definition: r.body, health: 'unknown' } as ServerCheckDto;
      checks = [...checks.filter((c) => c.slug !== slug), made];
      return { status: 201, body: made };
    },
    'DELETE /api/v1/netmon/checks/:slug': (r) => {
      checks = checks.filter((c) => c.slug !== r.path.split('/').pop());
      return { status: 204 };
    },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<NetworkSettingsTab />);
  return server;
}

describe('Settings → Network', () => {
  it('saves the plan with an HTTP target carrying only its own fields, and the retention', async () => {
    const server = setup();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Probe plan' });
    expect(within(form).getByLabelText<HTMLInputElement>('Target 1 name').value).toBe('Mail');
    await user.click(within(form).getByRole('button', { name: 'Add a target' }));
    await user.type(within(form).getByLabelText('Target 2 id'), 'intranet');
    await user.type(within(form).getByLabelText('Target 2 name'), 'Intranet');
    await user.selectOptions(within(form).getByLabelText('Target 2 method'), 'http');
    await user.type(within(form).getByLabelText('Target 2 host'), 'intranet.example.com');
    await user.clear(within(form).getByLabelText('Target 2 path'));
    await user.type(within(form).getByLabelText('Target 2 path'), '/status');
    await user.clear(within(form).getByLabelText('Interval'));
    await user.type(within(form).getByLabelText('Interval'), '30');
    await user.clear(within(form).getByLabelText('Raw samples'));
    await user.type(within(form).getByLabelText('Raw samples'), '3');
    await user.click(within(form).getByRole('button', { name: 'Save probe plan and retention' }));
    await waitFor(() => expect(server.made('PUT', '/api/v1/netmon/settings')).toHaveLength(1));
    const body = server.made('PUT', '/api/v1/netmon/settings')[0]!.body as NetmonSettingsDto;
    expect(body.plan.intervalSeconds).toBe(30);
    expect(body.plan.targets).toEqual([
      { slug: 'mail', label: 'Mail', method: 'tcp', host: 'mail.example.com', port: 587 },
      {
        slug: 'intranet',
        label: 'Intranet',
        method: 'http',
        scheme: 'https',
        host: 'intranet.example.com',
        path: '/status',
      },
    ]);
    expect(body.plan).not.toHaveProperty('dnsName');
    expect(body.retention).toEqual({ rawDays: 3, fiveMinuteDays: 90, hourlyDays: 730 });
    expect((await within(form).findByRole('status')).textContent).toContain('Network settings saved');
  });

  it('shows the server’s refusal of the plan as it words it', async () => {
    setup({
      'PUT /api/v1/netmon/settings': apiError(400, 'validation_failed', 'retention: keep raw ≤ 5-minute ≤ hourly days'),
    });
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Probe plan' });
    await user.click(within(form).getByRole('button', { name: 'Save probe plan and retention' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('keep raw ≤ 5-minute ≤ hourly days');
  });

  it('saves the sites with subnets and SSIDs as lists', async () => {
    const server = setup();
    const user = userEvent.setup();
    const sites = await screen.findByRole('form', { name: 'Sites' });
    await waitFor(() =>
      expect(within(sites).getByLabelText<HTMLInputElement>('Site 1 subnets').value).toBe('10.0.0.0/8'),
    );
    await user.click(within(sites).getByRole('button', { name: 'Add a site' }));
    await user.type(within(sites).getByLabelText('Site 2 id'), 'floor-3');
    await user.type(within(sites).getByLabelText('Site 2 name'), 'Floor 3');
    await user.type(within(sites).getByLabelText('Site 2 subnets'), '10.3.0.0/16, 10.4.1.0/24');
    await user.type(within(sites).getByLabelText('Site 2 SSIDs'), 'Corp-F3');
    await user.click(within(sites).getByRole('button', { name: 'Save sites' }));
    await waitFor(() => expect(server.made('PUT', '/api/v1/netmon/sites')).toHaveLength(1));
    expect(server.made('PUT', '/api/v1/netmon/sites')[0]!.body).toEqual({
      sites: [
        { slug: 'hq', name: 'HQ', subnets: ['10.0.0.0/8'], ssids: [] },
        { slug: 'floor-3', name: 'Floor 3', subnets: ['10.3.0.0/16', '10.4.1.0/24'], ssids: ['Corp-F3'] },
      ],
    });
    expect((await within(sites).findByRole('status')).textContent).toBe('2 sites saved; devices are placed again.');
  });

  it('adds a TCP check with only its fields, lists it, and deletes one after confirmation', async () => {
    const server = setup();
    const user = userEvent.setup();
    const add = await screen.findByRole('form', { name: 'Add a check' });
    await user.type(within(add).getByLabelText('New check id'), 'smtp');
    await user.type(within(add).getByLabelText('New check name'), 'SMTP relay');
    await user.selectOptions(within(add).getByLabelText('New check kind'), 'tcp');
    await user.type(within(add).getByLabelText('New check host'), 'relay.example.com');
    await user.type(within(add).getByLabelText('New check port'), '25');
    await user.click(within(add).getByRole('button', { name: 'Add check' }));
    await waitFor(() => expect(server.made('PUT', '/api/v1/netmon/checks/smtp')).toHaveLength(1));
    expect(server.made('PUT', '/api/v1/netmon/checks/smtp')[0]!.body).toEqual({
      kind: 'tcp',
      label: 'SMTP relay',
      host: 'relay.example.com',
      port: 25,
      intervalSeconds: 60,
      timeoutMs: 5000,
      enabled: true,
    });
    expect(await screen.findByRole('listitem', { name: 'SMTP relay' })).toBeTruthy();

    const row = screen.getByRole('listitem', { name: 'Intranet' });
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(server.made('DELETE', '/api/v1/netmon/checks/intranet')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Intranet' })).toBeNull());
  });
});
