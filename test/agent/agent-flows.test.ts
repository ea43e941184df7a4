import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer, type TestAgent } from './support';

let server: ListeningServer;
let agent: TestAgent;
beforeAll(async () => {
  server = await startListeningServer();
  agent = await createTestAgent({
    managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret },
    capture: true,
  });
  await agent.core.start();
  await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 5000, 'enrollment');
});
afterAll(async () => {
  await agent?.stop();
  await server?.close();
});

async function submitAndWait(subject: string, extra: Record<string, unknown> = {}): Promise<number> {
  await agent.call('ticket:submit', { subject, category: 'software', urgency: 'medium', ...extra });
  const ticket = await waitFor(
    async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === subject),
    5000,
    `ticket ${subject}`,
  );
  return ticket.id;
}

describe('guidance', () => {
  afterEach(() => {
    agent.platform.notifications.length = 0;
  });

  it("a technician's reply reaches the agent through the long poll within 5 s, notifies, and counts as unread until opened", async () => {
    const ticketId = await submitAndWait('Excel crashes on start');
    expect(agent.core.state().unread).toBe(0);
    const changed = agent.events.length;
    const posted = Date.now();
    const reply = await server.s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      headers: server.s.tech.headers,
      payload: { body: 'Please **restart** Excel in safe mode.' },
    });
    expect(reply.statusCode).toBe(201);
    await waitFor(() => agent.platform.notifications.find((n) => n.ticketId === ticketId), 5000, 'notification');
    expect(Date.now() - posted).toBeLessThan(5000);
    expect(agent.platform.notifications[0]?.body).toBe('Please restart Excel in safe mode.');
    await waitFor(
      () =>
        agent.events
          .slice(changed)
          .some((e) => e.event === 'tickets:changed' && (e.payload as { ticketId: number }).ticketId === ticketId),
      2000,
      'tickets:changed',
    );
    expect(agent.core.state().unread).toBe(1);
    expect((await agent.call('tickets:list', {})).tickets.find((t) => t.id === ticketId)?.unread).toBe(1);

    const thread = await agent.call('tickets:get', { ticketId });
    expect(thread.messages.map((m) => m.author.type)).toContain('staff');
    expect(agent.core.state().unread).toBe(0);

    // Answer, solve, rate: each answers with the thread as it now is.
    const answered = await agent.call('tickets:reply', { ticketId, body: 'That worked, thanks' });
    expect(answered.messages.at(-1)?.body).toBe('That worked, thanks');
    expect((await agent.call('tickets:solve', { ticketId })).ticket.status).toBe('resolved');
    expect((await agent.call('tickets:rate', { ticketId, satisfaction: 5, comment: 'fast' })).ticket.satisfaction).toBe(
      5,
    );
    const reopened = await agent.call('tickets:reopen', { ticketId, body: 'It is back' });
    expect(reopened.ticket.status).not.toBe('resolved');
    expect(reopened.messages.at(-1)?.body).toBe('It is back');
  });

  it('no notification when the employee turned notifications off; missing tickets are not_found', async () => {
    await agent.call('settings:set', { notifications: false });
    try {
      const ticketId = await submitAndWait('Teams has no sound');
      await server.s.inject({
        method: 'POST',
        url: `/api/v1/tickets/${ticketId}/messages`,
        headers: server.s.tech.headers,
        payload: { body: 'Check the output device' },
      });
      await waitFor(() => agent.core.state().unread > 0, 5000, 'unread');
      expect(agent.platform.notifications).toEqual([]);
    } finally {
      await agent.call('settings:set', { notifications: true });
    }
    const missing = await agent.invoke('tickets:get', { ticketId: 999_999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('tickets', () => {
  it('a screenshot goes with the ticket as a PNG attachment, once', async () => {
    const item = await agent.call('ticket:submit', {
      subject: 'With a bad screenshot',
      category: 'other',
      urgency: 'low',
      includeSnapshot: false,
    });
    expect(item.state).toBe('queued');
    await waitFor(
      async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'With a bad screenshot'),
      5000,
      'sent',
    );
    const shot = await agent.call('screenshot:capture', {});
    expect(shot.dataUrl).toMatch(/^data:image\/png;base64,/);
    const withShot = await agent.call('ticket:submit', {
      subject: 'With a screenshot',
      category: 'other',
      urgency: 'low',
      includeSnapshot: false,
      screenshotId: shot.screenshotId,
    });
    const sent = await waitFor(
      async () => (await agent.call('tickets:list', {})).tickets.find((t) => t.subject === 'With a screenshot'),
      5000,
      'sent',
    );
    const attachments = await server.s.db.kysely
      .selectFrom('attachments')
      .select(['kind', 'filename', 'content_type'])
      .where('ticket_id', '=', sent.id)
      .execute();
    expect(attachments).toEqual([{ kind: 'screenshot', filename: 'screenshot.png', content_type: 'image/png' }]);
    expect(withShot.outboxId).not.toBe(item.outboxId);
    // The screenshot was used up.
    expect(
      await agent.invoke('ticket:submit', {
        subject: 'again',
        category: 'other',
        urgency: 'low',
        screenshotId: shot.screenshotId,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a 4xx (a snapshot the server refuses) is surfaced as rejected with its message; retry and discard only on request', async () => {
    const agent2 = await createTestAgent({
      managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret },
      deps: { collector: { collect: async () => ({ schemaVersion: 99 }) as never } },
    });
    try {
      await agent2.core.start();
      await waitFor(() => agent2.core.state().enrollment.state === 'enrolled', 5000, 'enrollment');
      const item = await agent2.call('ticket:submit', { subject: 'Refused', category: 'other', urgency: 'low' });
      const rejected = await waitFor(
        async () =>
          (await agent2.call('tickets:list', {})).outbox.find(
            (o) => o.outboxId === item.outboxId && o.state === 'rejected',
          ),
        5000,
        'rejected',
      );
      expect(rejected.error).toMatch(/snapshot/i);
      expect(agent2.core.state().outbox).toEqual({ pending: 0, failed: 1 });
      // Retrying sends the same bytes; still refused, still kept.
      await agent2.call('outbox:retry', { outboxId: item.outboxId });
      await waitFor(
        async () =>
          (await agent2.call('tickets:list', {})).outbox.find((o) => o.state === 'rejected' && o.attempts === 2),
        5000,
        'second rejection',
      );
      await agent2.call('outbox:discard', { outboxId: item.outboxId });
      expect((await agent2.call('tickets:list', {})).outbox).toEqual([]);
      expect(agent2.core.state().outbox).toEqual({ pending: 0, failed: 0 });
    } finally {
      await agent2.stop();
    }
  });
});
