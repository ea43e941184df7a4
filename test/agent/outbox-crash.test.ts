import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHeadlessAgent } from '../../src/main/services/headless-agent';
import { cliEnvironment } from '../helpers/cli';
import { startListeningServer, type ListeningServer } from './support';

/*
 * THE crash test: a real child process files tickets through the outbox against the real server on
 * 127.0.0.1 and is SIGKILLed at random moments, again and again (during the durable write and
 * during the send), then restarted on the same data folder. At the end every ticket whose write was
 * acknowledged is on the server exactly once, and nothing is on the server twice.
 */

const KILLS = 32;
const MAX_KILLS = 90;
const WORKER = join(import.meta.dirname, 'outbox-crash-worker.ts');

let server: ListeningServer;
let dataDir: string;
beforeAll(async () => {
  server = await startListeningServer();
  dataDir = await mkdtemp(join(tmpdir(), 'deskside-crash-'));
  const env = { ...process.env, DESKSIDE_AGENT_CONFIG: join(dataDir, 'no-managed-config.json') };
  const agent = await openHeadlessAgent({ dataDir, version: '0.0.0-crash', env });
  agent.settings.set({ serverUrl: server.url });
  await agent.enrollment.enroll(server.url, server.s.enrollSecret);
  agent.close();
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Run {
  begun: Set<string>;
  written: Set<string>;
  sent: Set<string>;
}

/** Starts the worker, waits for READY, lets it run `ms`, then SIGKILLs it. */
function runAndKill(ms: number, run: Run): Promise<'write' | 'send' | 'other'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dataDir, 'crash'], {
      env: cliEnvironment({ DESKSIDE_AGENT_CONFIG: join(dataDir, 'no-managed-config.json') }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let last = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [word, subject] = line.split(' ');
        if (word === 'READY') setTimeout(() => child.kill('SIGKILL'), ms);
        else if (word === 'BEGIN' && subject) run.begun.add(subject);
        else if (word === 'WRITTEN' && subject) run.written.add(subject);
        else if (word === 'SENT' && subject) run.sent.add(subject);
        last = word ?? last;
      }
    });
    child.once('error', reject);
    child.once('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`worker exited on its own: ${stderr}`));
      // The phase the last complete line announced: BEGIN → it died writing, WRITTEN → sending.
      resolve(last === 'BEGIN' ? 'write' : last === 'WRITTEN' ? 'send' : 'other');
    });
  });
}

describe('outbox under SIGKILL', () => {
  it('delivers every acknowledged ticket exactly once across 30+ random kills', async () => {
    const run: Run = { begun: new Set(), written: new Set(), sent: new Set() };
    const phases = { write: 0, send: 0, other: 0 };
    let kills = 0;
    // At least KILLS kills, and more until both phases were hit and more tickets were acknowledged than
    // that (a slow machine writes fewer per run).
    const short = () => phases.write === 0 || phases.send === 0 || run.written.size <= KILLS;
    while (kills < KILLS || (short() && kills < MAX_KILLS)) {
      phases[await runAndKill(Math.floor(Math.random() * 120), run)]++;
      kills++;
    }

    // Every killed process's send lock stops being refreshed; age them past the stale threshold
    // instead of waiting for it in real time.
    const past = new Date(Date.now() - 60_000);
    for (const name of await readdir(join(dataDir, 'outbox')))
      if (name.endsWith('.lock')) await utimes(join(dataDir, 'outbox', name), past, past);

    // A last agent, not killed, sends what the killed ones left behind.
    const agent = await openHeadlessAgent({
      dataDir,
      version: '0.0.0-crash',
      env: { ...process.env, DESKSIDE_AGENT_CONFIG: join(dataDir, 'none.json') },
    });
    await agent.outbox.flush({ all: true });
    const left = await agent.outbox.list();
    const archived = await agent.outbox.sent();
    agent.close();

    const rows = await server.s.db.kysely
      .selectFrom('tickets')
      .select(['id', 'subject'])
      .where('subject', 'like', 'crash-%')
      .execute();
    const bySubject = new Map<string, number[]>();
    for (const row of rows) bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), row.id]);
    const duplicates = [...bySubject].filter(([, ids]) => ids.length > 1);
    const lost = [...run.written].filter((subject) => !bySubject.has(subject));
    const unknown = [...bySubject.keys()].filter((subject) => !run.begun.has(subject));

    console.log(
      `crash test: ${kills} kills (${phases.write} while writing, ${phases.send} while sending, ${phases.other} elsewhere); ${run.written.size} tickets acknowledged, ${rows.length} on the server`,
    );
    expect(left).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(lost).toEqual([]);
    expect(unknown).toEqual([]);
    expect(phases.write).toBeGreaterThan(0);
    expect(phases.send).toBeGreaterThan(0);
    expect(run.written.size).toBeGreaterThan(KILLS);
    // Every sent record names the ticket the server holds for it, once.
    const serverIds = new Set(rows.map((r) => r.id));
    expect(archived.length).toBe(rows.length);
    expect(new Set(archived.map((a) => a.ticketId)).size).toBe(rows.length);
    for (const item of archived) expect(serverIds.has(item.ticketId as number)).toBe(true);
    // No leftovers of the dead processes.
    expect((await readdir(join(dataDir, 'outbox'))).filter((n) => n !== 'sent' && n !== 'corrupt')).toEqual([]);
    expect(await readdir(join(dataDir, 'outbox', 'corrupt'))).toEqual([]);
  }, 90_000);
});
