import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordLocalActionBody } from '../../shared/api/local-actions';
import { createMemoryLogger } from '../../../test/fakes/agent-platform.fake';
import { ApiCallError } from './api-client';
import { createLocalActionLog } from './local-action-log';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-local-actions-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

let seq = 0;
const run = (): RecordLocalActionBody => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  action: 'dns.flush-cache',
  params: {},
  source: { kind: 'finding', code: 'network.dns_failing' },
  ok: true,
  exitCode: 0,
  durationMs: 20,
  fields: {},
  output: '',
  outputTruncated: false,
  error: null,
  startedAt: '2026-05-01T10:00:00.000Z',
});
const onDisk = async () =>
  (JSON.parse(await readFile(join(dir, 'local-actions.json'), 'utf8')) as { pending: RecordLocalActionBody[] }).pending;

describe('the Fix-it run log', () => {
  it('keeps a run the help desk could not take, and sends it (once) on the next flush, even after a restart', async () => {
    const sent: string[] = [];
    let online = false;
    const send = async (r: RecordLocalActionBody) => {
      if (!online) throw new ApiCallError('transient', 'The server cannot be reached (ECONNREFUSED)');
      sent.push(r.id);
    };
    const logger = createMemoryLogger();
    const first = createLocalActionLog({ dataDir: dir, send, logger });
    const a = run();
    expect(await first.record(a)).toBe('queued');
    expect((await onDisk()).map((r) => r.id)).toEqual([a.id]);

    // The agent restarts; the run is still there and goes when the server answers.
    const second = createLocalActionLog({ dataDir: dir, send, logger });
    await second.load();
    expect(second.pending().map((r) => r.id)).toEqual([a.id]);
    online = true;
    const b = run();
    expect(await second.record(b)).toBe('sent');
    expect(sent).toEqual([a.id, b.id]);
    expect(await onDisk()).toEqual([]);
    await second.flush();
    expect(sent).toEqual([a.id, b.id]);
  });

  it('keeps runs while the token is refused, drops one the server refuses for good (saying so in the log)', async () => {
    let answer: ApiCallError | null = new ApiCallError('unauthorized', 'token', 401);
    const logger = createMemoryLogger();
    const log = createLocalActionLog({
      dataDir: dir,
      logger,
      send: async () => {
        if (answer) throw answer;
      },
    });
    const a = run();
    expect(await log.record(a)).toBe('queued');
    answer = new ApiCallError('permanent', 'not_self_service', 422, 'not_self_service');
    await log.flush();
    expect(log.pending()).toEqual([]);
    expect(JSON.stringify(logger.lines)).toContain('the help desk refused a Fix-it run; it is dropped');
  });

  it('answers `queued` without waiting for a server that does not answer', async () => {
    const log = createLocalActionLog({
      dataDir: dir,
      logger: createMemoryLogger(),
      waitMs: 20,
      send: () => new Promise(() => {}),
    });
    expect(await log.record(run())).toBe('queued');
  });
});
