// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ItCatalogDto, ItScriptDto } from '../../../shared/api/it-actions';
import { apiError, createFakeServer, type FakeRoutes } from '../../../../test/fakes/console-server.fake';
import { renderWithData } from '../../test-render';
import { AllowListTab } from './AllowListTab';
import { ScriptsTab } from './ScriptsTab';

/*
 * The admin's editors for IT's part of the catalog: the exact requests they make, the form's own checks
 * (nothing is sent for a name that could be an option or a script with a hidden character), and the
 * server's refusal shown as it words it.
 */

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AT = '2026-03-02T09:00:00.000Z';
const SCRIPT: ItScriptDto = {
  slug: 'teams-cache',
  action: 'script.teams-cache',
  title: 'Clear the Teams cache',
  description: 'Deletes the Teams cache.',
  risk: 'changes',
  timeoutSeconds: 60,
  parameters: [{ name: 'profile', type: 'string', required: true }],
  bodies: { linux: { shell: 'bash', body: 'rm -rf -- "$HOME/.cache/teams/$1"\n' } },
  updatedAt: AT,
};

function setup(Tab: () => React.ReactElement, routes: FakeRoutes = {}, initial: Partial<ItCatalogDto> = {}) {
  const catalog: ItCatalogDto = { services: [], packages: [], scripts: [], ...initial };
  const server = createFakeServer({
    'GET /api/v1/it/catalog': () => ({ body: catalog }),
    'PUT /api/v1/it/services/:id': (r) => {
      const id = r.path.split('/').pop()!;
      const body = r.body as Record<string, string>;
      catalog.services = [
        {
          id,
          title: body.title!,
          linux: body.linux ?? null,
          win32: body.win32 ?? null,
          darwin: body.darwin ?? null,
          updatedAt: AT,
        },
      ];
      return { status: 201, body: catalog.services[0] };
    },
    'PUT /api/v1/it/scripts/:slug': (r) => {
      const slug = r.path.split('/').pop()!;
      const made = { ...SCRIPT, ...(r.body as object), slug, action: `script.${slug}` } as ItScriptDto;
      catalog.scripts = [made];
      return { status: 201, body: made };
    },
    'DELETE /api/v1/it/scripts/:slug': () => {
      catalog.scripts = [];
      return { status: 204 };
    },
    ...routes,
  });
  vi.stubGlobal('fetch', server.fetch);
  renderWithData(<Tab />);
  return server;
}

describe('Allow-lists settings', () => {
  it('adds a service with exactly the names given per OS, and lists it', async () => {
    const server = setup(AllowListTab);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a service' });
    await user.type(within(form).getByLabelText('Add a service id'), 'spooler');
    await user.type(within(form).getByLabelText('Add a service name'), 'Print spooler');
    await user.type(within(form).getByLabelText('Add a service Linux (systemd unit)'), 'cups.service');
    await user.type(within(form).getByLabelText('Add a service Windows (service name)'), 'Spooler');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(server.made('PUT', '/api/v1/it/services/spooler')).toHaveLength(1));
    expect(server.made('PUT', '/api/v1/it/services/spooler')[0]!.body).toEqual({
      title: 'Print spooler',
      linux: 'cups.service',
      win32: 'Spooler',
    });
    const list = await screen.findByRole('listitem', { name: 'Print spooler' });
    expect(list.textContent).toContain('Linux: cups.service');
    expect(screen.getByRole('status').textContent).toBe('“Print spooler” saved.');
  });

  it('sends nothing for a name that could be an option or holds a shell character, and says which', async () => {
    const server = setup(AllowListTab);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a package' });
    await user.type(within(form).getByLabelText('Add a package id'), 'vlc');
    await user.type(within(form).getByLabelText('Add a package name'), 'VLC');
    await user.type(within(form).getByLabelText('Add a package apt package'), '-oAPT::Get=x');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/^apt package: letters, digits/);
    await user.clear(within(form).getByLabelText('Add a package apt package'));
    await user.type(within(form).getByLabelText('Add a package apt package'), 'vlc;id');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/^apt package: /);
    expect(server.made('PUT', '/api/v1/it/packages/:id')).toHaveLength(0);
  });

  it("shows the server's refusal as it words it (a technician reaching the page gets 403)", async () => {
    setup(AllowListTab, {
      'PUT /api/v1/it/services/:id': apiError(403, 'admin_only', 'Only IT administrators can change the allow-lists'),
    });
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a service' });
    await user.type(within(form).getByLabelText('Add a service id'), 'sshd');
    await user.type(within(form).getByLabelText('Add a service name'), 'SSH');
    await user.type(within(form).getByLabelText('Add a service Linux (systemd unit)'), 'ssh.service');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'The server refused: Only IT administrators can change the allow-lists (admin_only)',
    );
  });
});

describe('IT scripts settings', () => {
  it('saves a script with its bodies and declared parameters exactly as written', async () => {
    const server = setup(ScriptsTab);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a script' });
    await user.type(within(form).getByLabelText('Slug'), 'map-drive');
    await user.type(within(form).getByLabelText('Title'), 'Map the team drive');
    await user.type(within(form).getByLabelText('Description'), 'Maps the team share.');
    await user.selectOptions(within(form).getByLabelText('Risk'), 'reads');
    await user.clear(within(form).getByLabelText('Timeout (seconds)'));
    await user.type(within(form).getByLabelText('Timeout (seconds)'), '90');
    // user.type reads "{" and "[" as key descriptors: the body is pasted, as an admin would.
    await user.click(within(form).getByLabelText('Linux script'));
    await user.paste('gio mount "smb://files/$1"\necho "${2:-}"');
    await user.selectOptions(within(form).getByLabelText('macOS interpreter'), 'sh');
    await user.click(within(form).getByLabelText('macOS script'));
    await user.paste('echo "$1"');
    await user.click(within(form).getByRole('button', { name: 'Add a parameter' }));
    await user.type(within(form).getByLabelText('Parameter 1 name'), 'share');
    await user.click(within(form).getByLabelText('Parameter 1 required'));
    await user.type(within(form).getByLabelText('Parameter 1 most characters'), '32');
    await user.click(within(form).getByLabelText('Parameter 1 pattern'));
    await user.paste('[a-z]+');
    await user.click(within(form).getByRole('button', { name: 'Add a parameter' }));
    await user.type(within(form).getByLabelText('Parameter 2 name'), 'quiet');
    await user.selectOptions(within(form).getByLabelText('Parameter 2 type'), 'boolean');
    await user.click(within(form).getByRole('button', { name: 'Save script' }));
    await waitFor(() => expect(server.made('PUT', '/api/v1/it/scripts/map-drive')).toHaveLength(1));
    expect(server.made('PUT', '/api/v1/it/scripts/map-drive')[0]!.body).toEqual({
      title: 'Map the team drive',
      description: 'Maps the team share.',
      risk: 'reads',
      timeoutSeconds: 90,
      bodies: {
        linux: { shell: 'bash', body: 'gio mount "smb://files/$1"\necho "${2:-}"' },
        darwin: { shell: 'sh', body: 'echo "$1"' },
      },
      parameters: [
        { name: 'share', type: 'string', required: true, maxLength: 32, pattern: '[a-z]+' },
        { name: 'quiet', type: 'boolean', required: false },
      ],
    });
    const item = await screen.findByRole('listitem', { name: 'Map the team drive' });
    expect(within(item).getByText('script.map-drive')).toBeTruthy();
  });

  it('sends nothing for a bad slug, a script with a bidi override, or a pattern that does not compile', async () => {
    const server = setup(ScriptsTab);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a script' });
    const alert = () => within(form).getByRole('alert').textContent;
    await user.type(within(form).getByLabelText('Slug'), 'Map Drive');
    await user.type(within(form).getByLabelText('Title'), 'T');
    await user.type(within(form).getByLabelText('Description'), 'D');
    await user.click(within(form).getByRole('button', { name: 'Save script' }));
    expect(alert()).toMatch(/^Slug: must be lower-case/);
    await user.clear(within(form).getByLabelText('Slug'));
    await user.type(within(form).getByLabelText('Slug'), 'map-drive');
    await user.click(within(form).getByLabelText('Linux script'));
    await user.paste('echo ok # \u202E; rm -rf ~');
    await user.click(within(form).getByRole('button', { name: 'Save script' }));
    expect(alert()).toMatch(/^Linux script: must not contain control or bidi-override/);
    await user.clear(within(form).getByLabelText('Linux script'));
    await user.click(within(form).getByLabelText('Linux script'));
    await user.paste('echo ok');
    await user.click(within(form).getByRole('button', { name: 'Add a parameter' }));
    await user.type(within(form).getByLabelText('Parameter 1 name'), 'x');
    await user.click(within(form).getByLabelText('Parameter 1 pattern'));
    await user.paste('([');
    await user.click(within(form).getByRole('button', { name: 'Save script' }));
    expect(alert()).toBe('Parameter 1: the pattern is not a valid regular expression');
    expect(server.made('PUT', '/api/v1/it/scripts/:slug')).toHaveLength(0);
  });

  it('edits a saved script (slug fixed) and deletes it after asking', async () => {
    const server = setup(ScriptsTab, {}, { scripts: [SCRIPT] });
    const user = userEvent.setup();
    const item = await screen.findByRole('listitem', { name: 'Clear the Teams cache' });
    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit Clear the Teams cache' });
    expect((within(form).getByLabelText('Slug') as HTMLInputElement).disabled).toBe(true);
    expect((within(form).getByLabelText('Linux script') as HTMLTextAreaElement).value).toBe(SCRIPT.bodies.linux!.body);
    await user.clear(within(form).getByLabelText('Title'));
    await user.type(within(form).getByLabelText('Title'), 'Reset Teams');
    await user.click(within(form).getByRole('button', { name: 'Save script' }));
    await waitFor(() => expect(server.made('PUT', '/api/v1/it/scripts/teams-cache')).toHaveLength(1));
    expect(server.made('PUT', '/api/v1/it/scripts/teams-cache')[0]!.body).toMatchObject({
      title: 'Reset Teams',
      bodies: { linux: SCRIPT.bodies.linux },
      parameters: [{ name: 'profile', type: 'string', required: true }],
    });
    const saved = await screen.findByRole('listitem', { name: 'Reset Teams' });
    await user.click(within(saved).getByRole('button', { name: 'Delete' }));
    await user.click(within(saved).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(server.made('DELETE', '/api/v1/it/scripts/teams-cache')).toHaveLength(1));
    expect(await screen.findByText('No scripts yet.')).toBeTruthy();
  });
});
