import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/demo/demo-seed';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';

/*
 * `deskside server --demo`: the seeded help desk as the console sees it through the API — about
 * thirty tickets over every status and priority, SLA clocks at ok, warning, breached and met,
 * conversations, computers with health from their snapshots, articles and a live announcement —
 * and a second seed that adds nothing.
 */

interface QueueTicket {
  id: number;
  status: string;
  priority: string;
  sla: { state: string };
  device: { id: string } | null;
}

describeEachDatabase('demo seed (--demo)', (dialect) => {
  let s: TestServer;
  let first: Awaited<ReturnType<typeof seedDemo>>;
  let headers: Record<string, string>;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    first = await seedDemo(s.ctx);
    headers = s.admin.headers;
  }, 120_000);
  afterAll(() => s?.close());

  const get = async (url: string) => {
    const res = await s.inject({ method: 'GET', url, headers });
    expect(res.statusCode, url).toBe(200);
    return res.json();
  };
  const queue = async (): Promise<QueueTicket[]> =>
    (await get('/api/v1/tickets?limit=200&status=new&status=open&status=pending&status=resolved&status=closed'))
      .tickets;

  it('fills the queue with about thirty tickets over every status, priority and SLA state', async () => {
    expect(first).toEqual({ devices: 9, tickets: 30, staff: 3, articles: 5, announcements: 1 });
    const tickets = await queue();
    expect(tickets).toHaveLength(30);
    const statuses = new Set(tickets.map((t) => t.status));
    const priorities = new Set(tickets.map((t) => t.priority));
    expect([...statuses].sort()).toEqual(['closed', 'new', 'open', 'pending', 'resolved']);
    for (const status of statuses)
      expect(
        new Set(tickets.filter((t) => t.status === status).map((t) => t.priority)),
        `priorities of ${status} tickets`,
      ).toEqual(priorities);
    expect([...priorities].sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    const states = (status: string[]) =>
      new Set(tickets.filter((t) => status.includes(t.status)).map((t) => t.sla.state));
    expect(states(['new', 'open'])).toEqual(new Set(['ok', 'warning', 'breached']));
    expect(states(['resolved', 'closed'])).toEqual(new Set(['met', 'breached']));
    expect(tickets.every((t) => t.device !== null)).toBe(true);
  });

  it('gives tickets snapshots and conversations: staff replies, employee answers, internal notes', async () => {
    const tickets = await queue();
    let replies = 0;
    let notes = 0;
    let answers = 0;
    for (const t of tickets) {
      const detail = await get(`/api/v1/tickets/${t.id}`);
      expect(detail.snapshotId ?? detail.snapshot?.id, `ticket ${t.id} snapshot`).toEqual(expect.any(Number));
      const { messages } = await get(`/api/v1/tickets/${t.id}/messages`);
      for (const m of messages as Array<{ author: { type: string }; internal: boolean }>) {
        if (m.internal) notes++;
        else if (m.author.type === 'staff') replies++;
        else if (m.author.type === 'device') answers++;
      }
      if (t.status !== 'new') expect(messages.length, `ticket ${t.id} messages`).toBeGreaterThan(0);
    }
    expect(replies).toBeGreaterThanOrEqual(22);
    expect(notes).toBeGreaterThanOrEqual(5);
    expect(answers).toBeGreaterThanOrEqual(3);
  });

  it('enrolls computers on three OSes whose health comes from their latest snapshot', async () => {
    const { devices, total } = await get('/api/v1/devices?limit=200');
    expect(total).toBe(9);
    expect(new Set(devices.map((d: { os: { platform: string } }) => d.os.platform))).toEqual(
      new Set(['linux', 'win32', 'darwin']),
    );
    expect(new Set(devices.map((d: { healthStatus: string }) => d.healthStatus))).toEqual(
      new Set(['healthy', 'warning', 'critical']),
    );
    for (const d of devices as Array<{ id: string; hostname: string; healthStatus: string }>) {
      const detail = await get(`/api/v1/devices/${d.id}`);
      const severities = detail.findings.map((f: { severity: string }) => f.severity);
      const expected = severities.includes('critical')
        ? 'critical'
        : severities.includes('warning')
          ? 'warning'
          : 'healthy';
      expect(d.healthStatus, d.hostname).toBe(expected);
      // A baseline a week earlier, so "what changed" has something to show.
      expect((await get(`/api/v1/devices/${d.id}/snapshots`)).total, d.hostname).toBeGreaterThanOrEqual(2);
    }
    const jdoe = (devices as Array<{ hostname: string; healthStatus: string }>).find(
      (d) => d.hostname === 'lt-jdoe-0042',
    );
    expect(jdoe?.healthStatus).toBe('critical');
  });

  it('publishes articles tagged to findings and a live announcement', async () => {
    const articles = await get('/api/v1/articles?limit=100');
    const list = (articles.articles ?? articles.items) as Array<{ status: string; findingCodes: string[] }>;
    expect(list.filter((a) => a.status === 'published').length).toBeGreaterThanOrEqual(5);
    expect(list.some((a) => a.findingCodes.includes('disk.almost_full'))).toBe(true);
    const announcements = await get('/api/v1/announcements');
    const live = (announcements.announcements ?? announcements.items) as Array<{ title: string; active?: boolean }>;
    expect(live.map((a) => a.title)).toContain('Mail delays this morning');
  });

  it('adds staff in two groups who have no password, so nobody can sign in as them', async () => {
    const { staff } = await get('/api/v1/staff');
    const people = (staff as Array<{ email: string; group: string | null }>).filter((p) =>
      p.email.endsWith('@demo.deskside.test'),
    );
    expect(people).toHaveLength(3);
    expect(new Set(people.map((p) => p.group))).toEqual(new Set(['Service desk', 'Workplace engineering']));
    const login = await s.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'priya.raman@demo.deskside.test', password: '!' },
    });
    // A failed sign-in answers 200 with signedIn: false, so the console's browser has no error to log.
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ signedIn: false, error: { code: 'invalid_credentials' } });
  });

  it('adds nothing on a second start', async () => {
    const before = (await queue()).length;
    s.clock.advance(3 * 3_600_000);
    headers = (await s.login(s.admin.email)).headers;
    expect(await seedDemo(s.ctx)).toEqual({ devices: 0, tickets: 0, staff: 0, articles: 0, announcements: 0 });
    expect(await queue()).toHaveLength(before);
    expect((await get('/api/v1/devices')).total).toBe(9);
  });
});
