import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment } from '../helpers/cli';
import { createTestServer, type TestServer } from '../server/harness';
import { removePrivateCli, runAgentCli } from './support';

/* The headless agent commands as real processes (the built CLI) against the real server on 127.0.0.1. */

let dir: string;
let s: TestServer;
let url: string;
const env = () => cliEnvironment({ DESKSIDE_AGENT_CONFIG: join(dir, 'no-managed-config.json') });
const agent = (args: string[], dataDir = join(dir, 'agent')) => runAgentCli([...args, '--data-dir', dataDir], env());

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-cli-agent-'));
  s = await createTestServer('sqlite');
  url = await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await removePrivateCli();
  await s?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('deskside agent commands', () => {
  it('bad flags get one line on stderr and exit code 2', async () => {
    const cases = [
      ['ticket', 'new', '--subject', 'x', '--category', 'nope', '--urgency', 'high'],
      ['ticket', 'new', '--category', 'email', '--urgency', 'low'],
      ['ticket', 'new', '--subject', 'x', '--urgency', 'urgent'],
      ['ticket', 'new', '--subject', 'x', '--category', 'email', '--urgency', 'low', '--exclude', 'kitchen'],
      ['ticket', 'new', '--subject', '   ', '--category', 'email', '--urgency', 'low'],
      ['enroll', '--server', 'ftp://x', '--secret', 'abc'],
      ['tickets', 'abc'],
    ];
    for (const args of cases) {
      const run = await agent(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(/^deskside: /);
    }
  });

  it('a ticket filed before enrollment waits in the outbox; enroll, then outbox --flush sends it', async () => {
    const queued = await agent([
      'ticket',
      'new',
      '--subject',
      'Before enrolling',
      '--category',
      'other',
      '--urgency',
      'low',
      '--no-snapshot',
    ]);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toMatch(/^queued as [a-z0-9-]+, will retry/);
    expect((await agent(['outbox'])).stdout).toMatch(/Before enrolling/);

    const wrong = await agent(['enroll', '--server', url, '--secret', 'dse_wrong_wrong_wrong_wrong']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/enrollment secret is invalid/);

    const enrolled = await agent(['enroll', '--server', url, '--secret', s.enrollSecret]);
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout).toMatch(/^enrolled with http:\/\/127\.0\.0\.1:\d+ as device [0-9a-f-]{36}/);
    expect((await stat(join(dir, 'agent', 'device.json'))).mode & 0o777).toBe(0o600);
    // The first inventory snapshot goes with enrollment: the devices page knows this computer's health.
    expect(enrolled.stdout).toMatch(/^sent its inventory snapshot: health (healthy|warning|critical)/m);
    const deviceId = /as device ([0-9a-f-]{36})/.exec(enrolled.stdout)?.[1] ?? '';
    const device = (
      await s.inject({ method: 'GET', url: `/api/v1/devices/${deviceId}`, headers: s.tech.headers })
    ).json() as { healthStatus: string; lastSnapshotId: number | null };
    expect(device.lastSnapshotId).toEqual(expect.any(Number));
    expect(device.healthStatus).not.toBe('unknown');

    const flushed = await agent(['outbox', '--flush']);
    expect(flushed.code).toBe(0);
    expect(flushed.stdout).toMatch(/sent as ticket #\d+/);
    const rows = await s.db.kysely
      .selectFrom('tickets')
      .select(['subject'])
      .where('subject', '=', 'Before enrolling')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('ticket new sends at once with the snapshot minus excluded sections; tickets shows the reply', async () => {
    const run = await agent([
      'ticket',
      'new',
      '--subject',
      'Laptop is slow',
      '--description',
      'Since the update',
      '--category',
      'hardware',
      '--urgency',
      'medium',
      '--impact',
      'medium',
      '--exclude',
      'software,processes',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const id = Number(/^sent as ticket #(\d+)$/m.exec(run.stdout)?.[1]);
    const row = await s.db.kysely
      .selectFrom('tickets')
      .select(['snapshot_id', 'impact'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.impact).toBe('medium');
    const snap = (
      await s.inject({ method: 'GET', url: `/api/v1/snapshots/${row.snapshot_id}`, headers: s.tech.headers })
    ).json() as { snapshot: { sections: Record<string, unknown>; probes: Record<string, unknown> } };
    expect(snap.snapshot.sections.os, JSON.stringify(snap.snapshot.probes.os)).toBeDefined();
    expect(snap.snapshot.sections.software).toBeUndefined();
    expect(snap.snapshot.probes.processes).toBeUndefined();

    await s.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/messages`,
      headers: s.tech.headers,
      payload: { body: 'Please restart once.' },
    });
    const list = await agent(['tickets']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+open\\s+p\\d\\s+.*Laptop is slow`, 'm'));
    const thread = await agent(['tickets', String(id)]);
    expect(thread.stderr).toBe('');
    expect(thread.stdout).toContain(`#${id} Laptop is slow`);
    expect(thread.stdout).toContain('Please restart once.');
    const json = JSON.parse((await agent(['tickets', String(id), '--json'])).stdout) as {
      messages: Array<{ body: string }>;
    };
    expect(json.messages.map((m) => m.body)).toEqual(['Please restart once.']);
  }, 60_000);

  it("ticket new without --category and --urgency (no terminal) files it under the help desk's default, medium urgency", async () => {
    const dataDir = join(dir, 'agent-defaults');
    expect((await agent(['enroll', '--server', url, '--secret', s.enrollSecret], dataDir)).code).toBe(0);
    const run = await agent(['ticket', 'new', '--subject', 'Printer jams', '--no-snapshot'], dataDir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const id = Number(/^sent as ticket #(\d+)$/m.exec(run.stdout)?.[1]);
    const row = await s.db.kysely
      .selectFrom('tickets')
      .select(['category', 'urgency', 'impact', 'snapshot_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ category: 'other', urgency: 'medium', impact: 'low', snapshot_id: null });
  }, 60_000);

  it('a ticket the server refuses exits 1 with the server message and stays in the outbox', async () => {
    const small = await createTestServer('sqlite', { snapshotLimitBytes: 1024 });
    try {
      const smallUrl = await small.app.listen({ host: '127.0.0.1', port: 0 });
      const dataDir = join(dir, 'agent-small');
      expect((await agent(['enroll', '--server', smallUrl, '--secret', small.enrollSecret], dataDir)).code).toBe(0);
      const run = await agent(
        ['ticket', 'new', '--subject', 'Too big', '--category', 'other', '--urgency', 'low', '--exclude', 'software'],
        dataDir,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/refused the ticket: .*snapshot/i);
      const outbox = await agent(['outbox', '--json'], dataDir);
      expect(outbox.code).toBe(1);
      expect((JSON.parse(outbox.stdout) as { items: Array<{ state: string }> }).items).toEqual([
        expect.objectContaining({ state: 'rejected', subject: 'Too big' }),
      ]);
    } finally {
      await small.close();
    }
  }, 60_000);
});
