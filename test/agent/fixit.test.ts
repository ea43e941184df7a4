import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/main/actions/action-runner';
import { createProcessRunner } from '../../src/main/actions/process-runner';
import type { ActionRunnerPort } from '../../src/main/services/command-runner.service';
import type { LocalActionDto } from '../../src/shared/api/local-actions';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import { rootFull } from '../server/ticket-helpers';
import { createTestAgent, startListeningServer, waitFor, type ListeningServer, type TestAgent } from './support';

/*
 * "Fix it" (issue 12) through the agent's real IPC handlers (dispatchIpc → fixit:run → the self-service
 * service), against a real help desk on 127.0.0.1: only the bindings the self-service table and the synced
 * articles declare run, with IT's parameters; the run is recorded on the server for the device page. The
 * action runner is a recording fake, except in the last test, which clears a temp folder it made for real.
 */

let server: ListeningServer;
let articleId: number;
let plainArticleId: number;

async function publish(title: string, body: string): Promise<number> {
  const res = await server.s.inject({
    method: 'POST',
    url: '/api/v1/articles',
    headers: server.s.admin.headers,
    payload: { title, body, status: 'published' },
  });
  if (res.statusCode !== 201) throw new Error(`article: ${res.statusCode} ${res.body}`);
  return res.json<{ id: number }>().id;
}

beforeAll(async () => {
  server = await startListeningServer();
  articleId = await publish(
    'Nothing prints',
    'Jobs stuck in the queue? [Restart the print spooler](deskside-fix:printing.restart-spooler).',
  );
  plainArticleId = await publish('Set up the VPN', 'Install the VPN client from the portal.');
});
afterAll(() => server?.close());

/** An agent whose disk is 96 % full, enrolled and with the articles synced. */
async function startAgent(run: ActionRunnerPort): Promise<TestAgent> {
  const agent = await createTestAgent({
    managed: { serverUrl: server.url, enrollSecret: server.s.enrollSecret },
    deps: { channel: false, collector: { collect: async () => rootFull(healthySnapshot(), 96) }, actionRunner: run },
  });
  await agent.core.start();
  await waitFor(() => agent.core.state().enrollment.state === 'enrolled', 10_000, 'enrollment');
  await waitFor(async () => (await agent.call('articles:list', {})).articles.length === 2, 10_000, 'articles');
  return agent;
}

/** A runner that records what it was asked and answers like a clean run. */
function recordingRunner(fields: Record<string, unknown> = {}) {
  const calls: { name: string; params: unknown }[] = [];
  const run: ActionRunnerPort = async (name, params, options) => {
    calls.push({ name, params });
    options.onOutput('working…\n');
    return {
      ok: true,
      exitCode: 0,
      durationMs: 37,
      fields,
      output: 'working…\n',
      outputTruncated: false,
      error: null,
    };
  };
  return { calls, run };
}

const runsOnServer = async (deviceId: string): Promise<LocalActionDto[]> =>
  (
    await server.s.inject({
      method: 'GET',
      url: `/api/v1/devices/${deviceId}/local-actions`,
      headers: server.s.tech.headers,
    })
  ).json<{ runs: LocalActionDto[] }>().runs;

describe('fixit:run', () => {
  it('refuses unknown actions, parameters from the window, and bindings the finding or article does not declare', async () => {
    const runner = recordingRunner();
    const agent = await startAgent(runner.run);
    try {
      const finding = { kind: 'finding', code: 'disk.almost_full' } as const;
      // Before a check there is no finding to fix.
      const early = await agent.invoke('fixit:run', { action: 'disk.clear-temp', source: finding });
      expect(early).toMatchObject({ ok: false, error: { code: 'not-found' } });

      await agent.call('health:check', {});
      const refusals: [unknown, string][] = [
        [{ action: 'process.end', source: finding }, 'invalid_argument'],
        [{ action: 'rm -rf /', source: finding }, 'invalid_argument'],
        [{ action: 'disk.clear-temp', source: finding, params: { olderThanDays: 1 } }, 'invalid_argument'],
        [{ action: 'disk.clear-temp', source: { kind: 'finding', code: 'disk.nope' } }, 'invalid_argument'],
        [{ action: 'dns.flush-cache', source: finding }, 'not-bound'],
        // A finding that has a binding but was not found by the last check.
        [{ action: 'dns.flush-cache', source: { kind: 'finding', code: 'network.dns_failing' } }, 'not-found'],
        [{ action: 'disk.clear-temp', source: { kind: 'article', articleId } }, 'not-bound'],
        [{ action: 'printing.restart-spooler', source: { kind: 'article', articleId: plainArticleId } }, 'not-bound'],
        [{ action: 'printing.restart-spooler', source: { kind: 'article', articleId: 999_999 } }, 'not-found'],
      ];
      for (const [arg, code] of refusals) {
        const res = await agent.invoke('fixit:run', arg as never);
        expect(res.ok, JSON.stringify(arg)).toBe(false);
        if (!res.ok) expect(res.error.code, JSON.stringify(arg)).toBe(code);
      }
      expect(runner.calls).toEqual([]);
      const deviceId = agent.core.state().enrollment.deviceId!;
      expect(await runsOnServer(deviceId)).toEqual([]);
    } finally {
      await agent.stop();
    }
  });

  it('runs the finding’s action with IT’s parameters, streams its output, and records it on the server', async () => {
    const runner = recordingRunner({ olderThanDays: 7, filesDeleted: 3, bytesFreed: 5 * 1024 * 1024, skipped: 0 });
    const agent = await startAgent(runner.run);
    try {
      await agent.call('health:check', {});
      const result = await agent.call('fixit:run', {
        action: 'disk.clear-temp',
        source: { kind: 'finding', code: 'disk.almost_full' },
      });
      expect(runner.calls).toEqual([{ name: 'disk.clear-temp', params: { olderThanDays: 7 } }]);
      expect(result).toMatchObject({
        action: 'disk.clear-temp',
        title: 'Clear temporary files',
        ok: true,
        summary: 'Freed 5.0 MB (3 files).',
        recorded: 'sent',
      });
      expect(agent.events).toContainEqual({
        event: 'fixit:output',
        payload: { action: 'disk.clear-temp', chunk: 'working…\n' },
      });
      const deviceId = agent.core.state().enrollment.deviceId!;
      const runs = await runsOnServer(deviceId);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        id: result.runId,
        action: 'disk.clear-temp',
        params: { olderThanDays: 7 },
        source: { kind: 'finding', code: 'disk.almost_full' },
        ok: true,
        exitCode: 0,
        durationMs: 37,
        output: 'working…\n',
      });

      // The article's link binds the spooler restart.
      const fromArticle = await agent.call('fixit:run', {
        action: 'printing.restart-spooler',
        source: { kind: 'article', articleId },
      });
      expect(fromArticle.recorded).toBe('sent');
      expect(runner.calls.at(-1)).toEqual({ name: 'printing.restart-spooler', params: { clearJobs: true } });
      expect((await runsOnServer(deviceId)).map((r) => r.source)).toEqual([
        { kind: 'article', articleId },
        { kind: 'finding', code: 'disk.almost_full' },
      ]);
    } finally {
      await agent.stop();
    }
  });

  it('clears old files from a temp folder for real (Linux), leaving new files and what links point to', async () => {
    const root = await mkdtemp(join(tmpdir(), 'deskside-fixit-'));
    const temp = join(root, 'temp');
    const outside = join(root, 'outside');
    await mkdir(join(temp, 'nested'), { recursive: true });
    await mkdir(outside);
    const old = new Date(Date.now() - 30 * 86_400_000);
    const oldFiles = [join(temp, 'old.log'), join(temp, 'nested', 'old.bin')];
    await writeFile(oldFiles[0]!, 'x'.repeat(1000));
    await writeFile(oldFiles[1]!, Buffer.alloc(4096));
    for (const f of oldFiles) await utimes(f, old, old);
    await writeFile(join(temp, 'new.txt'), 'keep me');
    await writeFile(join(outside, 'precious.txt'), 'never touched');
    await utimes(join(outside, 'precious.txt'), old, old);
    await symlink(join(outside, 'precious.txt'), join(temp, 'link-to-precious'));
    await symlink(outside, join(temp, 'link-to-folder'));

    const processRunner = createProcessRunner();
    const live: ActionRunnerPort = (name, params, options) =>
      runAction(name, params, { runner: processRunner, ports: { tempDirs: () => [temp] }, ...options });
    const agent = await startAgent(live);
    try {
      await agent.call('health:check', {});
      const result = await agent.call('fixit:run', {
        action: 'disk.clear-temp',
        source: { kind: 'finding', code: 'disk.almost_full' },
      });
      expect(result).toMatchObject({
        ok: true,
        fields: { filesDeleted: 2, bytesFreed: 5096, skipped: 0 },
        summary: 'Freed 5.0 KB (2 files).',
        recorded: 'sent',
      });
      expect(result.output).toContain(`${temp}: 2 file(s), 5096 bytes freed`);
      for (const f of oldFiles) await expect(stat(f)).rejects.toThrow(/ENOENT/);
      expect(await readFile(join(temp, 'new.txt'), 'utf8')).toBe('keep me');
      expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('never touched');
      expect((await lstat(join(temp, 'link-to-precious'))).isSymbolicLink()).toBe(true);
      const runs = await runsOnServer(agent.core.state().enrollment.deviceId!);
      expect(runs[0]).toMatchObject({ id: result.runId, fields: { bytesFreed: 5096, filesDeleted: 2 } });
    } finally {
      await agent.stop();
      await rm(root, { recursive: true, force: true });
    }
  });
});
