import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

/*
 * Issue 10, item 1: NUL and unpaired surrogates made PostgreSQL answer 500 where SQLite stored them.
 * People's text is refused with 400 naming the field; machines' documents are repaired with U+FFFD.
 * Payloads are raw JSON so lone surrogates travel as \ud800 escapes, exactly as a client would send them.
 */

const NUL = '\\u0000';
const LONE_HIGH = '\\ud800';
const LONE_LOW = '\\udc00';

describeEachDatabase('NUL and unpaired surrogates', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
  });
  afterAll(() => s.close());

  const send = (method: 'POST' | 'PATCH', url: string, json: string, headers = s.admin.headers) =>
    s.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: json });

  it.each([NUL, LONE_HIGH, LONE_LOW])(
    'refuses a staff member whose name holds %s with 400 naming the field',
    async (bad) => {
      const created = await send(
        'POST',
        '/api/v1/staff',
        `{"email":"nul@example.com","name":"Ann${bad}","role":"technician","password":"a long enough password"}`,
      );
      expect(created.statusCode).toBe(400);
      expect(created.json().error.message).toBe('body.name: must not contain NUL characters or unpaired surrogates');

      const updated = await send('PATCH', `/api/v1/staff/${s.tech.id}`, `{"name":"Bob${bad}","group":"tier${bad}"}`);
      expect(updated.statusCode).toBe(400);
      expect(updated.json().error.message).toMatch(/^body\.(name|group): must not contain NUL/);
    },
  );

  it('still takes a name with a real astral character (a paired surrogate)', async () => {
    const res = await send('PATCH', `/api/v1/staff/${s.tech.id}`, '{"name":"Tech \\ud83d\\ude00"}');
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Tech \u{1F600}');
  });

  it('refuses NUL in a query string with 400, not 500', async () => {
    const res = await s.inject({ method: 'GET', url: '/api/v1/tickets?q=printer%00', headers: s.admin.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^querystring\.q: must not contain NUL/);
  });

  it('accepts a ticket whose snapshot has NUL and lone surrogates and stores them as U+FFFD', async () => {
    const snap = withSection(healthySnapshot(), 'processes', {
      topByCpu: [{ pid: 7, name: 'odd-name', cpuPercent: 1, memoryBytes: 1024, user: 'odd-user' }],
    });
    const body = JSON.stringify({ subject: 'Odd processes', category: 'software', urgency: 'low', snapshot: snap })
      .replace('odd-name', `odd${NUL}name${LONE_HIGH}`)
      .replace('odd-user', `${LONE_LOW}user`)
      .replace('"name":"Ubuntu', `"name":"Ubuntu${NUL}`);
    const res = await send('POST', '/api/v1/tickets', body, {
      ...device.headers,
      'idempotency-key': `unsafe-text-${dialect}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const snapshotId = res.json().snapshotId as number;
    const stored = await s.inject({ method: 'GET', url: `/api/v1/snapshots/${snapshotId}`, headers: s.admin.headers });
    expect(stored.statusCode).toBe(200);
    const processes = stored.json().snapshot.sections.processes;
    expect(processes.topByCpu[0]).toMatchObject({ name: 'odd\uFFFDname\uFFFD', user: '\uFFFDuser' });
    expect(stored.json().snapshot.sections.os.name).toBe('Ubuntu\uFFFD');
  });

  it('repairs them in a gzip body as well, the way the agent sends tickets', async () => {
    const body = JSON.stringify({ subject: 'Odd', category: 'software', urgency: 'low', snapshot: healthySnapshot() })
      // Split across gzip's output, the escape still counts: the scan sees the whole decoded body.
      .replace('"gnome-shell"', `"gnome${LONE_HIGH}shell"`);
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: {
        ...device.headers,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'idempotency-key': `unsafe-text-gzip-${dialect}`,
      },
      payload: gzipSync(body),
    });
    expect(res.statusCode, res.body).toBe(201);
    const stored = await s.inject({
      method: 'GET',
      url: `/api/v1/snapshots/${res.json().snapshotId as number}`,
      headers: s.admin.headers,
    });
    const names = (stored.json().snapshot.sections.processes.topByCpu as { name: string }[]).map((p) => p.name);
    expect(names).toContain('gnome\uFFFDshell');
  });

  it('stores a snapshot without \\u escapes exactly as sent, non-ASCII text included', async () => {
    const snap = withSection(healthySnapshot(), 'processes', {
      topByCpu: [{ pid: 8, name: 'café 😀 "quoted" \\ tab\t', cpuPercent: 1, memoryBytes: 1024, user: 'zoë' }],
    });
    const body = JSON.stringify({ subject: 'Clean', category: 'software', urgency: 'low', snapshot: snap });
    expect(body).not.toContain('\\u');
    const res = await send('POST', '/api/v1/tickets', body, {
      ...device.headers,
      'idempotency-key': `clean-${dialect}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const stored = await s.inject({
      method: 'GET',
      url: `/api/v1/snapshots/${res.json().snapshotId as number}`,
      headers: s.admin.headers,
    });
    expect(stored.json().snapshot.sections.processes.topByCpu[0]).toEqual(snap.sections.processes?.topByCpu[0]);
  });

  it('accepts a periodic snapshot with NUL in a process name', async () => {
    const body = JSON.stringify(healthySnapshot()).replace('"gnome-shell"', `"gnome${NUL}shell"`);
    const res = await send('POST', '/api/v1/snapshots', body, device.headers);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('still answers afterwards', async () => {
    expect((await s.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
