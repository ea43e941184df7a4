import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandPrompt } from '../../src/shared/ipc/contract';
import { commandAudit, commandRow, requestCommand } from '../server/command-helpers';
import type { SnapshotCollector } from '../../src/main/services/snapshot.service';
import { createFixtureCollector } from '../fakes/agent-platform.fake';
import { runAction } from '../../src/main/actions/action-runner';
import { createProcessRunner } from '../../src/main/actions/process-runner';
import type { ActionRunnerPort } from '../../src/main/services/command-runner.service';
import { startCuttingRelay } from '../helpers/cutting-relay';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer, type TestAgent } from './support';

/*
 * Remote commands end to end on loopback: the real server signs a command a technician requests on the
 * ticket, the real agent core takes it over its live channel, verifies it with the key it pinned at
 * enrollment, decides consent (IT's policy; the window's prompt through IPC) and runs the real action
 * (ping of 127.0.0.1); the result lands on the ticket. Nothing leaves this machine.
 */

let server: ListeningServer;
beforeAll(async () => {
  server = await startListeningServer();
});
afterAll(() => server?.close());

const systemMessages = (ticketId: number) =>
  server.s.db.kysely
    .selectFrom('messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('author_type', '=', 'system')
    .orderBy('id')
    .execute();

async function enrolledAgentWithTicket(options: Parameters<typeof createTestAgent>[0]): Promise<{
  agent: TestAgent;
  ticketId: number;
}> {
  // The agent's clock is the test server's (fixed in the harness), or every command would look expired.
  const agent = await createTestAgent({ ...options, now: () => server.s.clock.now });
  await agent.core.start();
  await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
  await waitFor(() => agent.core.state().online, 10_000, 'online');
  await agent.call('ticket:submit', { subject: 'Network is slow', category: 'network', urgency: 'medium' });
  const ticket = await waitFor(
    async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'Network is slow'),
    10_000,
    'ticket on the server',
  );
  return { agent, ticketId: ticket.id };
}

/**
 * The fixture collector, collecting only the sections asked for (as the real one does), each snapshot a
 * second after the last (the server keeps one row per content hash).
 */
function distinctSnapshots(): SnapshotCollector {
  const fixture = createFixtureCollector();
  return {
    async collect(options) {
      const snapshot = await fixture.collect(options);
      const only = options.sections;
      const sections = only
        ? Object.fromEntries(Object.entries(snapshot.sections).filter(([name]) => only.includes(name as never)))
        : snapshot.sections;
      const collectedAt = new Date(Date.parse(snapshot.collectedAt) + fixture.calls * 1000).toISOString();
      return { ...snapshot, sections, collectedAt };
    },
  };
}

const channelTiming = { reconnect: { baseMs: 20, maxMs: 100, jitter: 0 } };

describe('remote commands: server → live channel → agent core', () => {
  it('a headless agent whose policy runs reads unattended pings 127.0.0.1; the result is on the ticket', async () => {
    const { agent, ticketId } = await enrolledAgentWithTicket({
      managed: {
        serverUrl: server.url,
        enrollSecret: server.s.enrollSecret,
        commandPolicy: { reads: 'unattended', changes: 'ask' },
      },
      deps: { channel: { timing: channelTiming }, collector: distinctSnapshots() },
    });
    try {
      await waitFor(() => agent.core.state().online, 10_000, 'channel');
      const res = await requestCommand(server.s, ticketId, { visibility: 'internal' });
      expect(res.statusCode).toBe(201);
      const id = res.json<{ id: string }>().id;
      await waitFor(
        async () => ['succeeded', 'failed'].includes((await commandRow(server.s, id)).status),
        20_000,
        'result',
      );
      const row = await commandRow(server.s, id);
      expect(row.status).toBe('succeeded');
      expect(row.exit_code).toBe(0);
      expect(row.output).toContain('127.0.0.1');
      expect(JSON.parse(row.consent!)).toMatchObject({ by: 'policy' });
      expect(await commandAudit(server.s, id)).toEqual([
        'command.requested',
        'command.delivered',
        'command.unattended',
        'command.succeeded',
      ]);
      const [note] = await systemMessages(ticketId);
      expect(note!.body).toContain('**Ping** succeeded');
      // A snapshot refresh runs through the agent's collector and reaches the server as a new snapshot.
      const deviceId = agent.core.state().enrollment.deviceId!;
      const snapshotsOf = () =>
        server.s.db.kysely.selectFrom('snapshots').select('id').where('device_id', '=', deviceId).execute();
      const before = (await snapshotsOf()).length;
      const refresh = await requestCommand(server.s, ticketId, {
        action: 'snapshot.refresh',
        params: { sections: ['os', 'storage'] },
      });
      expect(refresh.statusCode).toBe(201);
      const refreshId = refresh.json<{ id: string }>().id;
      await waitFor(
        async () => (await commandRow(server.s, refreshId)).status === 'succeeded',
        20_000,
        'snapshot refresh',
      );
      expect((await snapshotsOf()).length).toBe(before + 1);
      expect((await commandRow(server.s, refreshId)).output).toContain('os, storage');

      // The same agent, asked for a fix it would have to ask about, refuses: there is no window.
      const fix = await requestCommand(server.s, ticketId, { action: 'dns.flush-cache', params: {} });
      const fixId = fix.json<{ id: string }>().id;
      await waitFor(async () => (await commandRow(server.s, fixId)).status === 'refused', 10_000, 'refusal');
      const refusal = await server.s.inject({
        method: 'GET',
        url: `/api/v1/devices/${agent.core.state().enrollment.deviceId}/commands`,
        headers: server.s.tech.headers,
      });
      const refused = refusal.json<{ commands: Array<{ id: string; refusal: string | null }> }>();
      expect(refused.commands.find((c) => c.id === fixId)?.refusal).toMatch(/^no one to ask/);
    } finally {
      await agent.stop();
    }
  });

  it('an agent with a window asks: the prompt reaches the window, Allow runs it, Deny is recorded', async () => {
    const { agent, ticketId } = await enrolledAgentWithTicket({
      managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret },
      deps: { consentPrompt: true, channel: { timing: channelTiming } },
    });
    try {
      const res = await requestCommand(server.s, ticketId, { reason: 'Checking loss on loopback' });
      const id = res.json<{ id: string }>().id;
      const prompt = await waitFor(
        () =>
          agent.events
            .filter((e) => e.event === 'commands:pending')
            .map((e) => (e.payload as { prompts: CommandPrompt[] }).prompts[0])
            .find((p) => p?.commandId === id),
        10_000,
        'consent prompt',
      );
      expect(prompt).toMatchObject({
        title: 'Ping',
        risk: 'reads',
        params: { host: '127.0.0.1', count: 2 },
        reason: 'Checking loss on loopback',
        ticketId,
      });
      expect(await agent.call('commands:pending', {})).toEqual({ prompts: [prompt] });
      await waitFor(async () => (await commandRow(server.s, id)).status === 'awaiting-consent', 10_000, 'awaiting');
      // The IPC boundary validates the answer.
      const bad = await agent.invoke('commands:answer', { commandId: 'not-a-uuid', allow: true });
      expect(bad.ok).toBe(false);
      await agent.call('commands:answer', { commandId: id, allow: true });
      await waitFor(async () => (await commandRow(server.s, id)).status === 'succeeded', 20_000, 'result');
      expect(JSON.parse((await commandRow(server.s, id)).consent!)).toMatchObject({ by: 'employee' });

      const denied = (await requestCommand(server.s, ticketId)).json<{ id: string }>().id;
      await waitFor(
        async () => (await agent.call('commands:pending', {})).prompts[0]?.commandId === denied,
        10_000,
        'second prompt',
      );
      await agent.call('commands:answer', { commandId: denied, allow: false });
      await waitFor(async () => (await commandRow(server.s, denied)).status === 'denied', 10_000, 'denied');
      const again = await agent.invoke('commands:answer', { commandId: denied, allow: true });
      expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      await agent.stop();
    }
  });

  it('a command whose socket died right after the server sent it is sent again on reconnect; it runs once and completes', async () => {
    // The agent reaches the server through a relay that can cut the connection the way a network does.
    const relay = await startCuttingRelay(server.url);
    const runs: string[] = [];
    // The real ping of 127.0.0.1, counted.
    const processes = createProcessRunner();
    const actionRunner: ActionRunnerPort = (name, params, options) => {
      runs.push(name);
      return runAction(name, params, { runner: processes, ...options });
    };
    const { agent, ticketId } = await enrolledAgentWithTicket({
      managed: {
        serverUrl: relay.url,
        enrollSecret: server.s.enrollSecret,
        commandPolicy: { reads: 'unattended', changes: 'ask' },
      },
      deps: { channel: { timing: channelTiming }, actionRunner },
    });
    try {
      await waitFor(() => agent.core.state().online, 10_000, 'channel');
      // The socket dies with the command frame: the server marked it delivered, the agent never got it.
      const cut = relay.cutOn('"type":"command"');
      const id = (await requestCommand(server.s, ticketId, { visibility: 'internal' })).json<{ id: string }>().id;
      await cut;
      expect((await commandRow(server.s, id)).status).toBe('delivered');
      await waitFor(
        async () => ['succeeded', 'failed'].includes((await commandRow(server.s, id)).status),
        20_000,
        'result after the reconnect',
      );
      const row = await commandRow(server.s, id);
      expect(row.status).toBe('succeeded');
      expect(row.output).toContain('127.0.0.1');
      expect(runs).toEqual(['net.ping']);
      expect(await commandAudit(server.s, id)).toEqual([
        'command.requested',
        'command.delivered',
        'command.redelivered',
        'command.unattended',
        'command.succeeded',
      ]);

      // Now the connection dies while the command runs: the result, which could not be sent, is sent on the
      // next connection (and, if the server never heard `running`, it sends the command again and the agent
      // answers from its nonce store), once.
      const second = (await requestCommand(server.s, ticketId, { visibility: 'internal' })).json<{ id: string }>().id;
      await waitFor(() => runs.length === 2, 10_000, 'second run');
      relay.cutAll();
      await waitFor(async () => (await commandRow(server.s, second)).status === 'succeeded', 20_000, 'second result');
      expect(runs).toEqual(['net.ping', 'net.ping']);
      expect(await commandAudit(server.s, second)).not.toContain('command.update_refused');
      expect(await systemMessages(ticketId)).toHaveLength(2);
      expect(relay.cuts()).toBe(1);
    } finally {
      await agent.stop();
      await relay.close();
    }
  });
});
