import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalActionDto, RecordLocalActionBody } from '../../src/shared/api/local-actions';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

/*
 * Fix-it runs (issue 12) over HTTP: a device records what its employee ran from a finding or an article;
 * the server accepts only self-service actions with the table's parameters, stores each run once, audits
 * it, and lists it for technicians on the device page. Article bodies with a Fix-it link are checked on save.
 */

const run = (over: Partial<RecordLocalActionBody> = {}): RecordLocalActionBody => ({
  id: randomUUID(),
  action: 'disk.clear-temp',
  params: { olderThanDays: 7 },
  source: { kind: 'finding', code: 'disk.almost_full' },
  ok: true,
  exitCode: null,
  durationMs: 412,
  fields: { olderThanDays: 7, filesDeleted: 12, bytesFreed: 3_145_728, skipped: 0, folders: [] },
  output: '/tmp: 12 file(s), 3145728 bytes freed, 0 skipped\n',
  outputTruncated: false,
  error: null,
  startedAt: '2026-03-02T08:59:58.000Z',
  ...over,
});

describeEachDatabase('Fix-it runs recorded by the device', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let stranger: EnrolledDevice;

  beforeAll(async () => {
    s = await createTestServer(dialect);
    device = await s.enroll();
    stranger = await s.enroll();
  });
  afterAll(() => s?.close());

  const record = (body: unknown, headers: Record<string, string> = device.headers) =>
    s.inject({ method: 'POST', url: '/api/v1/device/local-actions', headers, payload: body as object });
  const list = (deviceId: string, headers: Record<string, string> = s.tech.headers) =>
    s.inject({ method: 'GET', url: `/api/v1/devices/${deviceId}/local-actions`, headers });
  const auditOf = (id: string) =>
    s.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('target_type', '=', 'local_action')
      .where('target_id', '=', id)
      .execute();

  it('stores a run once per id, audits it, and lists it for technicians, newest first', async () => {
    const first = run();
    const res = await record(first);
    expect(res.statusCode).toBe(201);
    expect(res.json<LocalActionDto>()).toMatchObject({
      id: first.id,
      deviceId: device.id,
      action: 'disk.clear-temp',
      title: 'Clear temporary files',
      params: { olderThanDays: 7 },
      source: { kind: 'finding', code: 'disk.almost_full' },
      ok: true,
      exitCode: null,
      durationMs: 412,
      fields: { bytesFreed: 3_145_728, filesDeleted: 12 },
      outputTruncated: false,
      error: null,
      startedAt: '2026-03-02T08:59:58.000Z',
      receivedAt: '2026-03-02T09:00:00.000Z',
    });

    // The answer was lost and the agent sends the run again: stored once, answered as stored.
    const again = await record({ ...first, durationMs: 9 });
    expect(again.statusCode).toBe(200);
    expect(again.json<LocalActionDto>().durationMs).toBe(412);

    s.clock.advance(60_000);
    const second = run({
      action: 'printing.restart-spooler',
      params: { clearJobs: true },
      source: { kind: 'article', articleId: 4242 },
      ok: false,
      exitCode: 1,
      fields: { clearJobs: true, steps: [] },
      output: 'Failed to restart cups.service: Access denied\n',
      error: { code: 'exit', message: 'systemctl exited 1' },
      startedAt: '2026-03-02T09:00:50.000Z',
    });
    expect((await record(second)).statusCode).toBe(201);

    const listed = await list(device.id);
    expect(listed.statusCode).toBe(200);
    const runs = listed.json<{ runs: LocalActionDto[] }>().runs;
    expect(runs.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(runs[0]).toMatchObject({
      ok: false,
      exitCode: 1,
      error: 'exit: systemctl exited 1',
      source: { kind: 'article', articleId: 4242 },
    });
    expect((await list(stranger.id)).json<{ runs: LocalActionDto[] }>().runs).toEqual([]);

    const audited = await auditOf(first.id);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ action: 'local_action.succeeded', actor_type: 'system' });
    expect(JSON.parse(audited[0]!.details)).toMatchObject({
      deviceId: device.id,
      by: 'employee',
      action: 'disk.clear-temp',
      source: { kind: 'finding', code: 'disk.almost_full' },
    });
    expect((await auditOf(second.id))[0]).toMatchObject({ action: 'local_action.failed' });
  });

  it('refuses what employees may not run themselves, other parameters, and a finding that does not offer it', async () => {
    const cases: [Partial<RecordLocalActionBody>, number, string, RegExp][] = [
      [{ action: 'process.end', params: { pid: 1, name: 'init' } }, 422, 'not_self_service', /"process.end"/],
      [{ action: 'rm.everything', params: {} }, 422, 'not_self_service', /"rm.everything"/],
      [{ params: { olderThanDays: 1 } }, 422, 'bad_params', /olderThanDays":7/],
      [{ params: { olderThanDays: 30 } }, 422, 'bad_params', /disk.clear-temp/],
      [{ params: { olderThanDays: 7, path: '/' } }, 422, 'bad_params', /path/],
      [{ source: { kind: 'finding', code: 'battery.worn' } }, 422, 'not_bound', /battery.worn/],
      [{ action: 'dns.flush-cache', params: {} }, 422, 'not_bound', /disk.almost_full offers no Fix-it button/],
    ];
    for (const [over, status, code, message] of cases) {
      const body = run(over);
      const res = await record(body);
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(message);
      expect(await auditOf(body.id)).toEqual([]);
    }
    // Malformed: 400 naming the field.
    const noId = { ...run(), id: 'not-a-uuid' };
    const bad = await record(noId);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^body\.id: /);
    const extra = await record({ ...run(), ticketId: 3 });
    expect(extra.statusCode).toBe(400);
    const nul = await record(run({ output: 'a\u0000b' }));
    expect(nul.statusCode).toBe(400);
    const unknownFinding = await record(run({ source: { kind: 'finding', code: 'disk.gone' as never } }));
    expect(unknownFinding.statusCode).toBe(400);
    expect((await list(device.id)).json<{ runs: LocalActionDto[] }>().runs).toHaveLength(2);
  });

  it('takes runs only with a device token, lists them only for staff, and keeps run ids per device', async () => {
    expect((await record(run(), {})).statusCode).toBe(401);
    expect((await record(run(), { authorization: 'Bearer nope' })).statusCode).toBe(401);
    expect((await record(run(), s.admin.headers)).statusCode).toBe(401);
    expect((await list(device.id, device.headers)).statusCode).toBe(401);
    expect((await list(device.id, {})).statusCode).toBe(401);
    expect((await list(randomUUID())).statusCode).toBe(404);
    expect((await list('not-a-device')).statusCode).toBe(400);

    const mine = run();
    expect((await record(mine)).statusCode).toBe(201);
    const theirs = await record(mine, stranger.headers);
    expect(theirs.statusCode).toBe(409);
    expect(theirs.json().error.code).toBe('run_id_taken');
  });

  it('keeps at most the action’s output cap, cut on a character and marked', async () => {
    const body = run({ output: `${'é'.repeat(10_000)}tail` });
    const res = await record(body);
    expect(res.statusCode).toBe(201);
    const stored = res.json<LocalActionDto>();
    expect(Buffer.byteLength(stored.output)).toBeLessThanOrEqual(16 * 1024);
    expect(stored.output).toMatch(/^é+$/);
    expect(stored.outputTruncated).toBe(true);
  });

  it('refuses to save an article whose Fix-it link names an unknown or non-self-service action (400, named)', async () => {
    const create = (body: string) =>
      s.inject({
        method: 'POST',
        url: '/api/v1/articles',
        headers: s.admin.headers,
        payload: { title: 'Printing is stuck', body },
      });
    const unknown = await create('Try [this](deskside-fix:printing.restart-everything).');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toBe(
      'body.body: Fix-it link names an unknown action "printing.restart-everything"',
    );
    const notSelfService = await create('[End it](deskside-fix:process.end)');
    expect(notSelfService.statusCode).toBe(400);
    expect(notSelfService.json().error.message).toMatch(/"process.end", which employees may not run themselves/);

    const good = await create('If nothing prints: [Restart the print spooler](deskside-fix:printing.restart-spooler).');
    expect(good.statusCode).toBe(201);
    const id = good.json<{ id: number }>().id;
    const patch = await s.inject({
      method: 'PATCH',
      url: `/api/v1/articles/${id}`,
      headers: s.admin.headers,
      payload: { body: '[Go](deskside-fix:net.ping)' },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.message).toMatch(/"net.ping"/);
  });
});
