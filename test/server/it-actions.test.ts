import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commandPublicKey } from '../../src/server/actions/command-keys.service';
import { ed25519Verifier } from '../../src/main/services/command-verifier';
import { verifyCommand, type SignedCommand } from '../../src/shared/actions/command-signing';
import type { CommandDto } from '../../src/shared/api/commands';
import type { ItCatalogDto, ItScriptDto } from '../../src/shared/api/it-actions';
import { commandRow, requestCommand } from './command-helpers';
import {
  createTestServer,
  describeEachDatabase,
  type EnrolledDevice,
  type StaffSession,
  type TestServer,
} from './harness';
import { fileTicket } from './ticket-helpers';

/*
 * IT's allow-lists and scripts over HTTP: admins add, change and remove them (audited); technicians read
 * them and get 403 (audited) when they try to change them; bad entries are refused with messages that
 * name the field; a technician's request names an entry or a script, and the server signs the name for
 * the device's OS or the script's text, which the agent's verification accepts exactly as signed.
 */

const SCRIPT = {
  title: 'Clear the Teams cache',
  description: 'Quits Teams and deletes its cache folder; Teams rebuilds it on the next start.',
  risk: 'changes',
  timeoutSeconds: 60,
  parameters: [
    { name: 'profile', label: 'Profile', type: 'string', required: true, maxLength: 40, pattern: '[A-Za-z0-9 ._-]+' },
    { name: 'verbose', type: 'boolean', required: false },
  ],
  bodies: {
    linux: { shell: 'bash', body: '#!/bin/bash\nset -eu\nrm -rf -- "$HOME/.config/Microsoft/Teams/$1/Cache"\n' },
    win32: { shell: 'powershell', body: 'param([string]$profile, [bool]$verbose)\nWrite-Output $profile\n' },
  },
};

describeEachDatabase('IT allow-lists and scripts', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let ticketId: number;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
    ticketId = await fileTicket(s, device);
  });
  afterAll(() => s?.close());

  const put = (url: string, payload: object, who: StaffSession = s.admin) =>
    s.inject({ method: 'PUT', url, headers: who.headers, payload });
  const del = (url: string, who: StaffSession = s.admin) => s.inject({ method: 'DELETE', url, headers: who.headers });
  const catalog = async (who: StaffSession = s.tech) => {
    const res = await s.inject({ method: 'GET', url: '/api/v1/it/catalog', headers: who.headers });
    expect(res.statusCode).toBe(200);
    return res.json<ItCatalogDto>();
  };
  const auditOf = (action: string) =>
    s.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  it('lets an admin add, change and remove services, packages and scripts; technicians read them; all audited', async () => {
    const created = await put('/api/v1/it/services/spooler', { title: 'Print spooler', linux: 'cups.service' });
    expect(created.statusCode).toBe(201);
    const changed = await put('/api/v1/it/services/spooler', {
      title: 'Print spooler',
      linux: 'cups.service',
      win32: 'Spooler',
      darwin: 'org.cups.cupsd',
    });
    expect(changed.statusCode).toBe(200);
    expect(
      (await put('/api/v1/it/packages/chrome', { title: 'Chrome', brew: 'google-chrome', brewCask: true })).statusCode,
    ).toBe(201);
    const script = await put('/api/v1/it/scripts/teams-cache', SCRIPT);
    expect(script.statusCode).toBe(201);
    expect(script.json<ItScriptDto>()).toMatchObject({ slug: 'teams-cache', action: 'script.teams-cache' });

    const read = await catalog();
    expect(read.services).toEqual([
      expect.objectContaining({
        id: 'spooler',
        title: 'Print spooler',
        linux: 'cups.service',
        win32: 'Spooler',
        darwin: 'org.cups.cupsd',
      }),
    ]);
    expect(read.packages).toEqual([
      expect.objectContaining({ id: 'chrome', brew: 'google-chrome', brewCask: true, apt: null, winget: null }),
    ]);
    expect(read.scripts[0]).toMatchObject({
      slug: 'teams-cache',
      risk: 'changes',
      timeoutSeconds: 60,
      parameters: SCRIPT.parameters,
      bodies: SCRIPT.bodies,
    });

    expect((await del('/api/v1/it/packages/chrome')).statusCode).toBe(204);
    expect((await del('/api/v1/it/packages/chrome')).json()).toMatchObject({ error: { code: 'it_package_not_found' } });
    expect((await catalog()).packages).toEqual([]);

    const saves = await auditOf('it.script.saved');
    expect(saves).toHaveLength(1);
    expect(saves[0]).toMatchObject({ actor_type: 'staff', actor_id: String(s.admin.id), target_id: 'teams-cache' });
    const sha = createHash('sha256').update(SCRIPT.bodies.linux.body).digest('hex');
    expect(JSON.parse(saves[0]!.details)).toMatchObject({ sha256: { linux: sha }, created: true });
    expect((await auditOf('it.service.saved')).map((r) => JSON.parse(r.details).created)).toEqual([true, false]);
    expect(await auditOf('it.package.deleted')).toHaveLength(1);
  });

  it.each([
    ['PUT', '/api/v1/it/services/sshd', { title: 'SSH', linux: 'sshd.service' }],
    ['DELETE', '/api/v1/it/services/spooler', undefined],
    ['PUT', '/api/v1/it/packages/steam', { title: 'Steam', apt: 'steam' }],
    ['PUT', '/api/v1/it/scripts/rootkit', { ...SCRIPT, title: 'Totally fine' }],
    ['DELETE', '/api/v1/it/scripts/teams-cache', undefined],
  ] as const)('refuses a technician %s %s with 403, audited, changing nothing', async (method, url, payload) => {
    const before = await catalog();
    const res = await s.inject({ method, url, headers: s.tech.headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'admin_only' } });
    expect(await catalog()).toEqual(before);
    const denied = (await auditOf('it.denied')).at(-1)!;
    expect(denied).toMatchObject({ actor_type: 'staff', actor_id: String(s.tech.id) });
    expect(JSON.parse(denied.details)).toMatchObject({ method, url, role: 'technician' });
  });

  it.each([
    ['a service name starting with "-"', '/api/v1/it/services/x', { title: 'X', linux: '--now' }, /^body\.linux: /],
    ['a shell character in a service name', '/api/v1/it/services/x', { title: 'X', win32: 'a;b' }, /^body\.win32: /],
    ['a service with no name on any OS', '/api/v1/it/services/x', { title: 'X' }, /at least one OS/],
    ['a package id with a space', '/api/v1/it/packages/x', { title: 'X', apt: 'vlc extra' }, /^body\.apt: /],
    ['a package id with "$("', '/api/v1/it/packages/x', { title: 'X', winget: '$(calc)' }, /^body\.winget: /],
    ['a cask without a Homebrew id', '/api/v1/it/packages/x', { title: 'X', apt: 'x', brewCask: true }, /brewCask/],
    ['an entry id with a dot', '/api/v1/it/packages/a.b', { title: 'X', apt: 'x' }, /^params\.id: /],
    ['a script slug in capitals', '/api/v1/it/scripts/Teams', SCRIPT, /^params\.slug: /],
    [
      'a script with a bidi override (Trojan Source)',
      '/api/v1/it/scripts/x',
      { ...SCRIPT, bodies: { linux: { shell: 'bash', body: 'echo ok # \u202E; rm -rf ~ \u202C\n' } } },
      /^body\.bodies\.linux\.body: must not contain NUL, control/,
    ],
    [
      'a PowerShell body for Linux',
      '/api/v1/it/scripts/x',
      { ...SCRIPT, bodies: { linux: { shell: 'powershell', body: 'x' } } },
      /^body\.bodies\.linux\.shell: /,
    ],
    ['a script with no body', '/api/v1/it/scripts/x', { ...SCRIPT, bodies: {} }, /at least one OS/],
    [
      'a parameter pattern that does not compile',
      '/api/v1/it/scripts/x',
      { ...SCRIPT, parameters: [{ name: 'a', type: 'string', pattern: '([' }] },
      /valid regular expression/,
    ],
    [
      'two parameters differing only in case',
      '/api/v1/it/scripts/x',
      {
        ...SCRIPT,
        parameters: [
          { name: 'Path', type: 'string' },
          { name: 'path', type: 'string' },
        ],
      },
      /must not repeat/,
    ],
    [
      'a parameter name with a "-"',
      '/api/v1/it/scripts/x',
      { ...SCRIPT, parameters: [{ name: '-Force', type: 'boolean' }] },
      /^body\.parameters\.0\.name: /,
    ],
  ])('refuses %s with a message naming the field', async (_name, url, payload, message) => {
    const res = await put(url, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(message);
  });

  it('signs the service name for the device’s OS into the command, which the agent verifies as it was signed', async () => {
    const res = await requestCommand(s, ticketId, { action: 'service.restart', params: { service: 'spooler' } });
    expect(res.statusCode).toBe(201);
    const command = res.json<CommandDto>();
    expect(command.params).toEqual({ service: 'spooler', serviceName: 'cups.service' });
    const row = await commandRow(s, command.id);
    const signed: SignedCommand = { envelope: JSON.parse(row.envelope), signature: row.signature };
    expect(signed.envelope.params).toEqual({ service: 'spooler', serviceName: 'cups.service' });
    const verify = (candidate: unknown) =>
      verifyCommand(candidate, {
        publicKeyPem: key,
        deviceId: device.id,
        now: s.clock.now,
        verifier: ed25519Verifier,
        seenNonce: () => false,
      });
    const key = await commandPublicKey(s.ctx);
    expect(verify(signed)).toMatchObject({ ok: true, value: { action: { params: { serviceName: 'cups.service' } } } });
    // A proxy that swaps the signed name for another service is caught by the signature.
    const swapped = {
      ...signed,
      envelope: { ...signed.envelope, params: { service: 'spooler', serviceName: 'sshd' } },
    };
    expect(verify(swapped)).toMatchObject({ ok: false, error: { code: 'bad-signature' } });
  });

  it('signs the package managers the entry names for Linux (apt, then dnf)', async () => {
    await put('/api/v1/it/packages/vlc', { title: 'VLC', apt: 'vlc', dnf: 'vlc-core', winget: 'VideoLAN.VLC' });
    const res = await requestCommand(s, ticketId, { action: 'package.install', params: { package: 'vlc' } });
    expect(res.statusCode).toBe(201);
    expect(res.json<CommandDto>().params).toEqual({
      package: 'vlc',
      install: [
        { manager: 'apt', id: 'vlc' },
        { manager: 'dnf', id: 'vlc-core' },
      ],
    });
  });

  it('signs the script’s Linux body verbatim with its declarations and the values; audits its SHA-256', async () => {
    const res = await requestCommand(s, ticketId, {
      action: 'script.teams-cache',
      params: { profile: 'Work profile', verbose: true },
      reason: 'Teams shows a blank window',
    });
    expect(res.statusCode).toBe(201);
    const command = res.json<CommandDto>();
    expect(command.title).toBe(SCRIPT.title);
    const envelope = JSON.parse((await commandRow(s, command.id)).envelope) as SignedCommand['envelope'];
    expect(envelope.action).toBe('script.teams-cache');
    expect(envelope.params).toEqual({
      script: {
        slug: 'teams-cache',
        title: SCRIPT.title,
        description: SCRIPT.description,
        risk: 'changes',
        timeoutSeconds: 60,
        platform: 'linux',
        shell: 'bash',
        body: SCRIPT.bodies.linux.body,
        parameters: SCRIPT.parameters,
      },
      args: { profile: 'Work profile', verbose: true },
    });
    const requested = (await auditOf('command.requested')).find((r) => r.target_id === command.id)!;
    expect(JSON.parse(requested.details)).toMatchObject({
      action: 'script.teams-cache',
      scriptSha256: createHash('sha256').update(SCRIPT.bodies.linux.body).digest('hex'),
    });
    // Changing the script later does not change what was signed.
    await put('/api/v1/it/scripts/teams-cache', { ...SCRIPT, bodies: { linux: { shell: 'bash', body: 'echo v2\n' } } });
    expect(JSON.parse((await commandRow(s, command.id)).envelope).params.script.body).toBe(SCRIPT.bodies.linux.body);
    await put('/api/v1/it/scripts/teams-cache', SCRIPT);
  });

  it.each([
    [
      'a service off the allow-list',
      { action: 'service.restart', params: { service: 'sshd' } },
      422,
      'not_on_allow_list',
      /^service: "sshd" is not on IT's service allow-list/,
    ],
    [
      'a package off the allow-list',
      { action: 'package.install', params: { package: 'steam' } },
      422,
      'not_on_allow_list',
      /^package: "steam"/,
    ],
    [
      'an unknown script',
      { action: 'script.format-disk', params: {} },
      422,
      'unknown_script',
      /Unknown IT script "script.format-disk"/,
    ],
    [
      'a resolved service name given by the technician',
      { action: 'service.restart', params: { service: 'spooler', serviceName: 'sshd' } },
      422,
      'bad_params',
      /^serviceName: is filled in by the server/,
    ],
    [
      'resolved packages given by the technician',
      { action: 'package.install', params: { package: 'vlc', install: [{ manager: 'apt', id: 'netcat' }] } },
      422,
      'bad_params',
      /^install: is filled in by the server/,
    ],
    [
      'a missing required script value',
      { action: 'script.teams-cache', params: {} },
      422,
      'bad_params',
      /^profile: is required/,
    ],
    [
      'a script value off its pattern',
      { action: 'script.teams-cache', params: { profile: 'a;$(id)' } },
      422,
      'bad_params',
      /^profile: must match the pattern/,
    ],
    [
      'a script value over its length',
      { action: 'script.teams-cache', params: { profile: 'a'.repeat(41) } },
      422,
      'bad_params',
      /^profile: must be at most 40 characters/,
    ],
    [
      'a script value of the wrong type',
      { action: 'script.teams-cache', params: { profile: 'a', verbose: 'yes' } },
      422,
      'bad_params',
      /^verbose: must be true or false/,
    ],
    [
      'a value for an undeclared parameter',
      { action: 'script.teams-cache', params: { profile: 'a', command: 'id' } },
      422,
      'bad_params',
      /^command: is not a parameter of this script/,
    ],
    [
      'the script text itself in the request',
      { action: 'script.teams-cache', params: { script: { body: 'id' } } },
      422,
      'bad_params',
      /^script: is not a parameter/,
    ],
  ] as const)('refuses %s (%i %s)', async (_name, body, status, code, message) => {
    const res = await requestCommand(s, ticketId, body as unknown as Record<string, unknown>);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(message);
  });

  it('refuses entries and scripts with nothing for the device’s OS', async () => {
    await put('/api/v1/it/packages/firefox', { title: 'Firefox', winget: 'Mozilla.Firefox' });
    await put('/api/v1/it/scripts/win-only', { ...SCRIPT, bodies: { win32: SCRIPT.bodies.win32 } });
    for (const body of [
      { action: 'package.install', params: { package: 'firefox' } },
      { action: 'script.win-only', params: { profile: 'a' } },
    ]) {
      const res = await requestCommand(s, ticketId, body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        error: { code: 'unsupported_platform', message: expect.stringMatching(/linux/) },
      });
    }
  });
});
