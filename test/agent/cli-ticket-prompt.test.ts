import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment } from '../helpers/cli';
import { createTestServer, type TestServer } from '../server/harness';
import { privateCli, removePrivateCli, runAgentCli } from './support';

/*
 * `deskside ticket new` on a real terminal: the built CLI runs under util-linux `script`, which
 * gives it a pseudo-terminal for stdin and stdout, and the test types answers as the prompts appear.
 */

let dir: string;
let s: TestServer;
let dataDir: string;
// No CI variable: the CLI never prompts in CI.
const env = () => {
  const e = cliEnvironment({ DESKSIDE_AGENT_CONFIG: join(dir, 'no-managed-config.json'), TERM: 'dumb' });
  delete e.CI;
  return e;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-cli-prompt-'));
  dataDir = join(dir, 'agent');
  s = await createTestServer('sqlite');
  const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  const enrolled = await runAgentCli(
    ['enroll', '--server', url, '--secret', s.enrollSecret, '--data-dir', dataDir],
    env(),
  );
  expect(enrolled.code, enrolled.stderr).toBe(0);
});
afterAll(async () => {
  await removePrivateCli();
  await s?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal; each step waits for `prompt` in the output, then types `answer`. */
async function inTerminal(args: string[], steps: Array<[prompt: string, answer: string]>) {
  const command = [process.execPath, await privateCli(), ...args].map(quote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let seen = 0;
  const pending = [...steps];
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  const typeWhenAsked = () => {
    const next = pending[0];
    if (!next) return;
    const at = output.indexOf(next[0], seen);
    if (at < 0) return;
    seen = at + next[0].length;
    pending.shift();
    child.stdin.write(next[1]);
    typeWhenAsked();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    typeWhenAsked();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await exited;
  child.stdin.end();
  return { code, output: output.replace(/\r/g, ''), unanswered: pending.map((p) => p[0]) };
}

const ticketRow = (id: number) =>
  s.db.kysely
    .selectFrom('tickets')
    .select(['subject', 'category', 'urgency'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('deskside ticket new on a terminal', () => {
  it('asks for the subject, category and urgency it was not given, offering the choices and defaults', async () => {
    const run = await inTerminal(
      ['ticket', 'new', '--no-snapshot', '--data-dir', dataDir],
      [
        ['Subject (what is wrong, in a few words): ', '\n'],
        ['Subject (what is wrong, in a few words): ', 'VPN drops every hour\n'],
        ['Category (hardware, software, network, account, printing, email, security, other) [', 'coffee\n'],
        ['choose one of', ''],
        ['Category (', 'net\n'],
        ['Urgency (low, medium, high) [medium]: ', '\n'],
      ],
    );
    expect(run.unanswered).toEqual([]);
    expect(run.code, run.output).toBe(0);
    const id = Number(/sent as ticket #(\d+)/.exec(run.output)?.[1]);
    expect(await ticketRow(id)).toEqual({ subject: 'VPN drops every hour', category: 'network', urgency: 'medium' });
  }, 60_000);

  it('asks only for what is missing; Enter leaves the category to the help desk', async () => {
    const run = await inTerminal(
      ['ticket', 'new', '--subject', 'Mouse lags', '--urgency', 'high', '--no-snapshot', '--data-dir', dataDir],
      [["[the help desk's default]: ", '\n']],
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toMatch(/Subject \(|Urgency \(/);
    const id = Number(/sent as ticket #(\d+)/.exec(run.output)?.[1]);
    expect(await ticketRow(id)).toEqual({ subject: 'Mouse lags', category: 'other', urgency: 'high' });
  }, 60_000);

  it('files nothing when input ends at a question (Ctrl+D)', async () => {
    const before = await s.db.kysely.selectFrom('tickets').select('id').execute();
    const run = await inTerminal(['ticket', 'new', '--no-snapshot', '--data-dir', dataDir], [['Subject (', '\x04']]);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toContain('deskside: no ticket filed: input ended');
    expect(await s.db.kysely.selectFrom('tickets').select('id').execute()).toHaveLength(before.length);
  }, 60_000);
});
