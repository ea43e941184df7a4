import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandPrompt } from '../../src/shared/ipc/contract';
import { commandRow, requestCommand } from '../server/command-helpers';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer, type TestAgent } from './support';

/*
 * IT's allow-lists and scripts end to end on loopback: an IT admin saves them through the API, a technician
 * requests them on a ticket, the real server resolves and signs, the real agent core verifies, asks (the
 * window's prompt shows the script verbatim), and runs: a real bash script whose argument holds injection
 * attempts, and `systemctl` / `apt-get` shims placed first on PATH that only record their argv (nothing
 * is restarted or installed on this machine).
 */

let server: ListeningServer;
let shims: string;
let log: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  server = await startListeningServer();
  shims = await mkdtemp(join(tmpdir(), 'deskside-shims-'));
  log = join(shims, 'argv.log');
  for (const name of ['systemctl', 'apt-get']) {
    const file = join(shims, name);
    // Records its argv (one line per element, then a separator); `is-active` answers "active".
    await writeFile(
      file,
      `#!/bin/sh\nfor a in "${'$'}0" "$@"; do printf '%s\\n' "$a"; done >> '${log}'\necho --- >> '${log}'\n[ "$1" = is-active ] && echo active\nexit 0\n`,
    );
    await chmod(file, 0o755);
  }
  process.env.PATH = `${shims}${delimiter}${savedPath}`;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await server?.close();
  await rm(shims, { recursive: true, force: true });
});

const channelTiming = { reconnect: { baseMs: 20, maxMs: 100, jitter: 0 } };

async function agentWithTicket(
  options: Parameters<typeof createTestAgent>[0],
): Promise<{ agent: TestAgent; ticketId: number }> {
  const agent = await createTestAgent({ ...options, now: () => server.s.clock.now });
  await agent.core.start();
  await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
  await waitFor(() => agent.core.state().online, 10_000, 'online');
  await agent.call('ticket:submit', { subject: 'Printing is stuck', category: 'printing', urgency: 'medium' });
  const ticket = await waitFor(
    async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'Printing is stuck'),
    10_000,
    'ticket on the server',
  );
  return { agent, ticketId: ticket.id };
}

const admin = (method: 'PUT', url: string, payload: object) =>
  server.s.inject({ method, url, headers: server.s.admin.headers, payload });

const promptFor = (agent: TestAgent, id: string) =>
  waitFor(
    () =>
      agent.events
        .filter((e) => e.event === 'commands:pending')
        .map((e) => (e.payload as { prompts: CommandPrompt[] }).prompts[0])
        .find((p) => p?.commandId === id),
    10_000,
    'consent prompt',
  );

const ended = (id: string) =>
  waitFor(
    async () => {
      const row = await commandRow(server.s, id);
      return ['succeeded', 'failed', 'refused', 'denied'].includes(row.status) ? row : undefined;
    },
    20_000,
    'command end',
  );

const BODY = '#!/bin/bash\nprintf "arg=[%s]\\n" "$1"\nprintf "count=%s\\n" "$#"\n';

describe('IT allow-lists and scripts: admin → server → signed command → agent', () => {
  it('runs a service restart and a package install with the names IT listed, and a script with literal arguments', async () => {
    expect(
      (await admin('PUT', '/api/v1/it/services/printing', { title: 'Printing', linux: 'cups.service' })).statusCode,
    ).toBe(201);
    expect(
      (await admin('PUT', '/api/v1/it/packages/vlc', { title: 'VLC', apt: 'vlc', winget: 'VideoLAN.VLC' })).statusCode,
    ).toBe(201);
    const saved = await admin('PUT', '/api/v1/it/scripts/echo-arg', {
      title: 'Echo an argument',
      description: 'Prints its argument back, to show what the script received.',
      risk: 'changes',
      parameters: [{ name: 'text', type: 'string', required: true }],
      bodies: { linux: { shell: 'bash', body: BODY } },
    });
    expect(saved.statusCode).toBe(201);

    const { agent, ticketId } = await agentWithTicket({
      managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret },
      deps: { consentPrompt: true, channel: { timing: channelTiming } },
    });
    try {
      // The service: the prompt shows the signed unit; Allow runs `systemctl restart -- cups.service`.
      const restart = await requestCommand(server.s, ticketId, {
        action: 'service.restart',
        params: { service: 'printing' },
        reason: 'The spooler hangs',
      });
      expect(restart.statusCode).toBe(201);
      const restartId = restart.json<{ id: string }>().id;
      expect((await promptFor(agent, restartId)).params).toEqual({ service: 'printing', serviceName: 'cups.service' });
      await agent.call('commands:answer', { commandId: restartId, allow: true });
      expect(await ended(restartId)).toMatchObject({ status: 'succeeded', exit_code: 0 });

      const install = await requestCommand(server.s, ticketId, {
        action: 'package.install',
        params: { package: 'vlc' },
        reason: 'Needs a video player',
      });
      const installId = install.json<{ id: string }>().id;
      await promptFor(agent, installId);
      await agent.call('commands:answer', { commandId: installId, allow: true });
      expect(await ended(installId)).toMatchObject({ status: 'succeeded' });
      const argv = (await readFile(log, 'utf8'))
        .split('---\n')
        .filter(Boolean)
        .map((s) => s.trim().split('\n'));
      expect(argv.map(([bin, ...args]) => [bin!.split('/').pop(), ...args])).toEqual([
        ['systemctl', 'restart', '--', 'cups.service'],
        ['systemctl', 'is-active', '--', 'cups.service'],
        ['apt-get', 'install', '-y', 'vlc'],
      ]);

      // The script: the prompt shows its text verbatim and the value apart; bash gets the value as $1.
      const pwned = join(shims, 'pwned');
      const hostile = `x"; touch ${pwned}; $(touch ${pwned}) \`touch ${pwned}\`\n-rf`;
      const run = await requestCommand(server.s, ticketId, {
        action: 'script.echo-arg',
        params: { text: hostile },
        reason: 'Testing what the script receives',
        visibility: 'public',
      });
      expect(run.statusCode).toBe(201);
      const runId = run.json<{ id: string }>().id;
      const prompt = await promptFor(agent, runId);
      expect(prompt).toMatchObject({
        action: 'script.echo-arg',
        title: 'Echo an argument',
        risk: 'changes',
        params: { text: hostile },
        script: { shell: 'bash', body: BODY },
      });
      await agent.call('commands:answer', { commandId: runId, allow: true });
      const row = await ended(runId);
      expect(row).toMatchObject({ status: 'succeeded', exit_code: 0 });
      expect(row!.output).toBe(`arg=[${hostile}]\ncount=1\n`);
      expect(existsSync(pwned)).toBe(false);
    } finally {
      await agent.stop();
    }
  });

  it('a headless agent never runs a script that changes something, even with reads unattended; a reading one runs', async () => {
    await admin('PUT', '/api/v1/it/scripts/uptime-check', {
      title: 'Uptime',
      description: 'Prints how long the computer has been up.',
      risk: 'reads',
      bodies: { linux: { shell: 'bash', body: 'echo "up"\n' } },
    });
    await admin('PUT', '/api/v1/it/scripts/echo-arg', {
      title: 'Echo an argument',
      description: 'Prints its argument back, to show what the script received.',
      risk: 'changes',
      parameters: [{ name: 'text', type: 'string', required: true }],
      bodies: { linux: { shell: 'bash', body: BODY } },
    });
    const { agent, ticketId } = await agentWithTicket({
      managed: {
        serverUrl: server.url,
        enrollSecret: server.s.enrollSecret,
        commandPolicy: { reads: 'unattended', changes: 'ask' },
      },
      deps: { channel: { timing: channelTiming } },
    });
    try {
      const changes = await requestCommand(server.s, ticketId, { action: 'script.echo-arg', params: { text: 'a' } });
      expect(await ended(changes.json<{ id: string }>().id)).toMatchObject({ status: 'refused' });
      const reads = await requestCommand(server.s, ticketId, { action: 'script.uptime-check', params: {} });
      const row = await ended(reads.json<{ id: string }>().id);
      expect(row).toMatchObject({ status: 'succeeded', output: 'up\n' });
      expect(JSON.parse(row!.consent!)).toMatchObject({ by: 'policy' });
    } finally {
      await agent.stop();
    }
  });
});
