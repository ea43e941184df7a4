import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCommand, type CommandEnvelope, type CommandSigner } from '../../shared/actions/command-signing';
import type { CommandPrompt } from '../../shared/ipc/contract';
import { parseUpFrame } from '../../shared/channel/messages';
import { COMMAND_OUTPUT_CHUNK_MAX } from '../../shared/channel/channel-limits';
import type { ActionResult } from '../actions/action-runner';
import { createNonceStore } from './command-nonce-store';
import {
  createCommandRunner,
  type ActionRunnerPort,
  type CommandFrame,
  type CommandPolicy,
  type CommandRunner,
} from './command-runner.service';

/*
 * The agent's command runner with a fake action runner that records every call: verification
 * refusals run nothing, consent follows the catalog and IT's policy, the nonce store survives a restart.
 */

const signer: CommandSigner = { sign: (m, pem) => sign(null, Buffer.from(m, 'utf8'), pem).toString('base64') };
const keys = generateKeyPairSync('ed25519', {
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const DEVICE = 'device-1';
const NOW = Date.parse('2026-12-04T10:00:00.000Z');

function envelope(over: Partial<CommandEnvelope> = {}): CommandEnvelope {
  return {
    id: randomUUID(),
    deviceId: DEVICE,
    action: 'net.ping',
    params: { host: '127.0.0.1', count: 2 },
    issuedAt: new Date(NOW - 1000).toISOString(),
    expiresAt: new Date(NOW + 60 * 60_000).toISOString(),
    nonce: randomBytes(24).toString('base64url'),
    requestedBy: { id: 2, name: 'Tess Technician' },
    ticketId: 7,
    ...over,
  };
}
const signed = (e: CommandEnvelope) => signCommand(e, keys.privateKey, signer);

const OK: ActionResult = {
  ok: true,
  exitCode: 0,
  durationMs: 42,
  fields: { sent: 2, received: 2 },
  output: 'PING 127.0.0.1\n2 received\n',
  outputTruncated: false,
  error: null,
};

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'deskside-commands-'));
});
const runners: CommandRunner[] = [];
afterEach(async () => {
  // A stopped runner still settles what it was doing (a hung run ends on the abort and its answer is
  // written to the data folder): wait for that before the folder goes, or rm races the write.
  const stopping = runners.splice(0);
  for (const r of stopping) r.stop();
  await Promise.all(stopping.map((r) => r.idle()));
  await rm(dataDir, { recursive: true, force: true });
});

function setup(
  options: {
    policy?: Partial<CommandPolicy> | Record<string, string>;
    canAsk?: boolean;
    now?: () => number;
    live?: boolean;
    result?: ActionResult;
    output?: string[];
    /** The action runs until the runner stops (a crash mid-run, as far as the data folder knows). */
    hang?: boolean;
  } = {},
) {
  const sent: CommandFrame[] = [];
  const runs: Array<{ name: string; params: unknown }> = [];
  const prompts: CommandPrompt[][] = [];
  const lines: string[] = [];
  const state = { live: options.live ?? true };
  const run: ActionRunnerPort = async (name, params, { onOutput, signal }) => {
    runs.push({ name, params });
    for (const chunk of options.output ?? []) onOutput(chunk);
    if (options.hang) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return options.result ?? OK;
  };
  const now = options.now ?? (() => NOW);
  const logger = {
    info: (m: string) => void lines.push(`info ${m}`),
    warn: (m: string, d?: Record<string, unknown>) => void lines.push(`warn ${m} ${JSON.stringify(d)}`),
    error: (m: string) => void lines.push(`error ${m}`),
  };
  const runner = createCommandRunner({
    nonces: createNonceStore({ dataDir, now, logger }),
    deviceId: () => DEVICE,
    publicKey: () => keys.publicKey,
    policy: () => ({ reads: 'ask', changes: 'ask', ...options.policy }) as CommandPolicy,
    canAsk: () => options.canAsk ?? true,
    send(message) {
      // Every frame must pass the channel's own table, as the server would check it.
      const parsed = parseUpFrame(JSON.stringify(message));
      if (!parsed.ok) throw new Error(`bad frame: ${parsed.detail}`);
      if (!state.live) return false;
      sent.push(message);
      return true;
    },
    onPrompts: (p) => void prompts.push(p),
    run,
    logger,
    now,
    outputIntervalMs: 5,
  });
  runners.push(runner);
  const statuses = () => sent.map((m) => (m.type === 'command.update' ? m.status : m.type));
  return { runner, sent, runs, prompts, lines, statuses, state };
}

describe('command runner', () => {
  it('runs a verified read-only command unattended when policy says so: running by policy, output, result', async () => {
    const t = setup({ policy: { reads: 'unattended' }, output: ['PING 127.0.0.1\n', '2 received\n'] });
    const e = envelope();
    t.runner.receive(signed(e));
    await t.runner.idle();
    expect(t.runs).toEqual([{ name: 'net.ping', params: { host: '127.0.0.1', count: 2 } }]);
    expect(t.statuses()).toEqual(['running', 'command.output', 'command.result']);
    expect(t.sent[0]).toEqual({
      type: 'command.update',
      commandId: e.id,
      status: 'running',
      consent: { by: 'policy' },
    });
    expect(t.sent[1]).toEqual({ type: 'command.output', commandId: e.id, chunk: 'PING 127.0.0.1\n2 received\n' });
    expect(t.sent[2]).toMatchObject({
      type: 'command.result',
      commandId: e.id,
      ok: true,
      exitCode: 0,
      fields: OK.fields,
    });
    expect(t.prompts).toEqual([]);
    // The nonce is on disk with the answer.
    const stored = JSON.parse(await readFile(join(dataDir, 'command-nonces.json'), 'utf8'));
    expect(stored.nonces[e.nonce]).toMatchObject({ commandId: e.id, sent: true, final: { type: 'command.result' } });
  });

  it('splits long output into chunks no bigger than the frame table allows', async () => {
    const long = 'x'.repeat(COMMAND_OUTPUT_CHUNK_MAX * 2 + 10);
    const t = setup({ policy: { reads: 'unattended' }, output: [long] });
    t.runner.receive(signed(envelope()));
    await t.runner.idle();
    const chunks = t.sent.flatMap((m) => (m.type === 'command.output' ? [m.chunk] : []));
    expect(chunks.map((c) => c.length)).toEqual([COMMAND_OUTPUT_CHUNK_MAX, COMMAND_OUTPUT_CHUNK_MAX, 10]);
    expect(chunks.join('')).toBe(long);
  });

  it('refuses a tampered, expired, not-yet-valid, unsigned or other-device command with the reason; nothing runs', async () => {
    const t = setup({ policy: { reads: 'unattended' } });
    const tampered = signed(envelope());
    tampered.envelope.params = { host: '10.0.0.1', count: 2 };
    const expired = signed(
      envelope({
        issuedAt: new Date(NOW - 3 * 3_600_000).toISOString(),
        expiresAt: new Date(NOW - 2 * 3_600_000).toISOString(),
      }),
    );
    const future = signed(
      envelope({
        issuedAt: new Date(NOW + 3_600_000).toISOString(),
        expiresAt: new Date(NOW + 7_200_000).toISOString(),
      }),
    );
    const other = signed(envelope({ deviceId: 'device-2' }));
    const unsigned = { envelope: envelope(), signature: 'AAAA' };
    for (const command of [tampered, expired, future, other, unsigned]) t.runner.receive(command);
    await t.runner.idle();
    expect(t.runs).toEqual([]);
    expect(t.sent.map((m) => (m.type === 'command.update' ? [m.status, m.reason?.split(':')[0]] : m.type))).toEqual([
      ['refused', 'bad-signature'],
      ['refused', 'expired'],
      ['refused', 'not-yet-valid'],
      ['refused', 'wrong-device'],
      ['refused', 'bad-signature'],
    ]);
    expect(t.sent[0]).toMatchObject({ commandId: tampered.envelope.id });
    expect(t.lines.filter((l) => l.startsWith('warn remote command refused'))).toHaveLength(5);
  });

  it('refuses a replayed nonce (another command, even after a restart) and runs nothing the second time', async () => {
    const first = envelope();
    const t = setup({ policy: { reads: 'unattended' } });
    t.runner.receive(signed(first));
    const replay = envelope({ nonce: first.nonce });
    t.runner.receive(signed(replay));
    await t.runner.idle();
    expect(t.runs).toHaveLength(1);
    expect(t.sent.at(-1)).toMatchObject({ type: 'command.update', commandId: replay.id, status: 'refused' });
    expect((t.sent.at(-1) as { reason: string }).reason).toMatch(/^replayed:/);

    // A new agent process over the same data folder still knows the nonce.
    const after = setup({ policy: { reads: 'unattended' } });
    const again = envelope({ nonce: first.nonce });
    after.runner.receive(signed(again));
    await after.runner.idle();
    expect(after.runs).toEqual([]);
    expect(after.sent).toEqual([
      expect.objectContaining({ commandId: again.id, status: 'refused', reason: expect.stringMatching(/^replayed/) }),
    ]);
  });

  it('answers a duplicate delivery of the same command with its stored result, without running it again', async () => {
    const t = setup({ policy: { reads: 'unattended' } });
    const command = signed(envelope());
    t.runner.receive(command);
    await t.runner.idle();
    const result = t.sent.at(-1);
    expect(result).toMatchObject({ type: 'command.result' });
    const after = setup({ policy: { reads: 'unattended' } });
    after.runner.receive(structuredClone(command));
    await after.runner.idle();
    expect(after.runs).toEqual([]);
    expect(after.sent).toEqual([result]);
  });

  it('runs a command sent again (a new connection) once: dropped while it waits its turn, its progress repeated while it is handled', async () => {
    const t = setup();
    const first = envelope();
    const second = envelope();
    t.runner.receive(signed(first));
    t.runner.receive(signed(second));
    await expect.poll(() => t.runner.prompts()[0]?.commandId).toBe(first.id);
    // The server sends both again on the agent's next hello: the first is at its prompt, the second in line.
    t.runner.receive(signed(first));
    t.runner.receive(signed(second));
    await expect.poll(() => t.statuses()).toEqual(['awaiting-consent', 'awaiting-consent']);
    expect(t.sent[1]).toEqual({ type: 'command.update', commandId: first.id, status: 'awaiting-consent' });
    t.runner.answer(first.id, true);
    await expect.poll(() => t.runner.prompts()[0]?.commandId).toBe(second.id);
    t.runner.answer(second.id, true);
    await t.runner.idle();
    expect(t.runs).toHaveLength(2);
    expect(t.statuses()).toEqual([
      'awaiting-consent',
      'awaiting-consent',
      'running',
      'command.result',
      'awaiting-consent',
      'running',
      'command.result',
    ]);
    expect(t.prompts.filter((p) => p.length > 0)).toHaveLength(2);
  });

  it('refuses, never runs again, a command an earlier agent process accepted and never finished (it stopped mid-run)', async () => {
    const crashed = setup({ policy: { reads: 'unattended' }, hang: true });
    const command = signed(envelope());
    crashed.runner.receive(command);
    await expect.poll(() => crashed.runs.length).toBe(1);
    // The nonce is on disk with no final answer, as after a crash; the next process gets the command again.
    const after = setup({ policy: { reads: 'unattended' } });
    after.runner.receive(structuredClone(command));
    await after.runner.idle();
    expect(after.runs).toEqual([]);
    expect(after.sent).toEqual([
      expect.objectContaining({
        commandId: command.envelope.id,
        status: 'refused',
        reason: expect.stringMatching(/^interrupted:/),
      }),
    ]);
    // That answer is now its final one: sent again for a further copy.
    const third = setup({ policy: { reads: 'unattended' } });
    third.runner.receive(structuredClone(command));
    await third.runner.idle();
    expect(third.sent).toEqual(after.sent);
  });

  it('asks the employee: the prompt says who, why, what and until when; Allow runs with their consent', async () => {
    const t = setup();
    const e = envelope({ reason: 'Checking the network stack' });
    t.runner.receive(signed(e));
    await expect.poll(() => t.runner.prompts().length).toBe(1);
    expect(t.statuses()).toEqual(['awaiting-consent']);
    expect(t.runs).toEqual([]);
    expect(t.prompts.at(-1)).toEqual([
      {
        commandId: e.id,
        action: 'net.ping',
        title: 'Ping',
        description: expect.stringContaining('ICMP echo'),
        risk: 'reads',
        alwaysAsks: false,
        params: { host: '127.0.0.1', count: 2 },
        requestedBy: 'Tess Technician',
        reason: 'Checking the network stack',
        ticketId: 7,
        expiresAt: e.expiresAt,
      },
    ]);
    expect(t.runner.answer(randomUUID(), true)).toBe(false);
    expect(t.runner.answer(e.id, true)).toBe(true);
    await t.runner.idle();
    expect(t.runs).toHaveLength(1);
    expect(t.sent[1]).toEqual({
      type: 'command.update',
      commandId: e.id,
      status: 'running',
      consent: { by: 'employee' },
    });
    expect(t.statuses()).toEqual(['awaiting-consent', 'running', 'command.result']);
    // The prompt closed.
    expect(t.prompts.at(-1)).toEqual([]);
    expect(t.runner.answer(e.id, true)).toBe(false);
  });

  it('Deny sends denied by the employee and runs nothing; the next queued command is handled after it', async () => {
    const t = setup();
    const denied = envelope();
    const next = envelope();
    t.runner.receive(signed(denied));
    t.runner.receive(signed(next));
    await expect.poll(() => t.runner.prompts()[0]?.commandId).toBe(denied.id);
    t.runner.answer(denied.id, false);
    await expect.poll(() => t.runner.prompts()[0]?.commandId).toBe(next.id);
    expect(t.sent.slice(0, 2)).toEqual([
      { type: 'command.update', commandId: denied.id, status: 'awaiting-consent' },
      { type: 'command.update', commandId: denied.id, status: 'denied', consent: { by: 'employee' } },
    ]);
    expect(t.runs).toEqual([]);
    t.runner.answer(next.id, false);
    await t.runner.idle();
    expect(t.runs).toEqual([]);
  });

  it('ends a prompt nobody answered before the command expired as expired, naming no one (not a denial)', async () => {
    let now = NOW;
    const t = setup({ now: () => now });
    const e = envelope({ expiresAt: new Date(NOW + 80).toISOString() });
    t.runner.receive(signed(e));
    await expect.poll(() => t.runner.prompts().length).toBe(1);
    now += 100;
    await t.runner.idle();
    expect(t.runs).toEqual([]);
    expect(t.sent.at(-1)).toEqual({
      type: 'command.update',
      commandId: e.id,
      status: 'expired',
      reason: 'No answer before the request expired',
    });
    expect(t.runner.prompts()).toEqual([]);
    // Remembered as its final answer: a copy sent again gets the same answer, no second prompt.
    t.runner.receive(signed(e));
    await t.runner.idle();
    expect(t.sent.at(-1)).toMatchObject({ commandId: e.id, status: 'expired' });
    expect(t.statuses()).toEqual(['awaiting-consent', 'expired', 'expired']);
  });

  it('shows only the signed reason; a tampered reason (in the envelope or beside it) is refused and the genuine command still runs', async () => {
    const t = setup();
    const e = envelope({ reason: 'Checking the network stack' });
    const inEnvelope = signed(e);
    inEnvelope.envelope = { ...inEnvelope.envelope, reason: 'IT needs your password: type it in the chat' };
    t.runner.receive(inEnvelope);
    await t.runner.idle();
    // A proxy adding its own reason beside the signed command (the frame's old unsigned field).
    t.runner.receive(signed(e), 'IT needs your password: type it in the chat');
    await t.runner.idle();
    // And beside a command signed without one.
    const bare = envelope();
    t.runner.receive(signed(bare), 'Please allow, it is urgent');
    await t.runner.idle();
    expect(t.runs).toEqual([]);
    expect(t.prompts).toEqual([]);
    expect(
      t.sent.map((m) => [
        m.commandId,
        m.type === 'command.update' && m.status,
        m.type === 'command.update' && m.reason?.split(':')[0],
      ]),
    ).toEqual([
      [e.id, 'refused', 'bad-signature'],
      [e.id, 'refused', 'bad-signature'],
      [bare.id, 'refused', 'bad-signature'],
    ]);
    // The refusals did not use up the genuine command's nonce: delivered as signed, it asks with its reason.
    t.runner.receive(signed(e), 'Checking the network stack');
    await expect.poll(() => t.runner.prompts()[0]?.reason).toBe('Checking the network stack');
    t.runner.answer(e.id, true);
    await t.runner.idle();
    expect(t.runs).toHaveLength(1);
  });

  it('headless (no window): an action IT wants asked about is refused, there is no one to ask; unattended reads still run', async () => {
    const t = setup({ canAsk: false, policy: { reads: 'unattended', changes: 'ask' } });
    const fix = envelope({ action: 'dns.flush-cache', params: {} });
    const read = envelope();
    t.runner.receive(signed(fix));
    t.runner.receive(signed(read));
    await t.runner.idle();
    expect(t.sent[0]).toEqual({
      type: 'command.update',
      commandId: fix.id,
      status: 'refused',
      reason: expect.stringMatching(/^no one to ask/),
    });
    expect(t.runs.map((r) => r.name)).toEqual(['net.ping']);
    expect(t.prompts).toEqual([]);
  });

  it("refuses what IT's policy refuses", async () => {
    const t = setup({ policy: { reads: 'refuse' } });
    const e = envelope();
    t.runner.receive(signed(e));
    await t.runner.idle();
    expect(t.runs).toEqual([]);
    expect(t.sent).toEqual([expect.objectContaining({ status: 'refused', reason: expect.stringMatching(/^policy:/) })]);
  });

  it("asks for an 'always' entry (end a process) and for any fix even where the policy says unattended", async () => {
    // `changes: 'unattended'` is not a valid managed value; forced here to show it cannot skip the prompt.
    const t = setup({ policy: { reads: 'unattended', changes: 'unattended' } });
    const end = envelope({ action: 'process.end', params: { pid: 4242, name: 'stuck-app' } });
    t.runner.receive(signed(end));
    await expect.poll(() => t.runner.prompts()[0]?.commandId).toBe(end.id);
    expect(t.runner.prompts()[0]).toMatchObject({ alwaysAsks: true, risk: 'changes', params: { pid: 4242 } });
    t.runner.answer(end.id, false);
    const fix = envelope({ action: 'dns.flush-cache', params: {} });
    t.runner.receive(signed(fix));
    await expect.poll(() => t.runner.prompts()[0]?.commandId).toBe(fix.id);
    t.runner.answer(fix.id, true);
    await t.runner.idle();
    expect(t.runs.map((r) => r.name)).toEqual(['dns.flush-cache']);
  });

  it("refuses an 'always' entry where IT's policy refuses its risk: the prompt never overrides a refusal", async () => {
    const t = setup({ policy: { reads: 'ask', changes: 'refuse' } });
    const end = envelope({ action: 'process.end', params: { pid: 4242, name: 'stuck-app' } });
    t.runner.receive(signed(end));
    await t.runner.idle();
    expect(t.runner.prompts()).toEqual([]);
    expect(t.runs).toEqual([]);
    expect(t.sent).toEqual([
      expect.objectContaining({ status: 'refused', reason: expect.stringMatching(/^policy: .*change something/) }),
    ]);
  });

  it('keeps a final answer the channel could not send and sends it when the channel is back', async () => {
    const t = setup({ policy: { reads: 'unattended' }, live: false });
    const e = envelope();
    t.runner.receive(signed(e));
    await t.runner.idle();
    expect(t.runs).toHaveLength(1);
    expect(t.sent).toEqual([]);
    t.state.live = true;
    t.runner.flush();
    await expect.poll(() => t.sent.length).toBe(1);
    expect(t.sent[0]).toMatchObject({ type: 'command.result', commandId: e.id, ok: true });
    t.runner.flush();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.sent).toHaveLength(1);
  });

  it('refuses a prompt still open when the agent stops (never passed off as a denial), and runs nothing after', async () => {
    const t = setup();
    const e = envelope();
    t.runner.receive(signed(e));
    await expect.poll(() => t.runner.prompts().length).toBe(1);
    t.runner.stop();
    await t.runner.idle();
    expect(t.sent.at(-1)).toEqual({
      type: 'command.update',
      commandId: e.id,
      status: 'refused',
      reason: expect.stringMatching(/^stopped:/),
    });
    expect(t.runner.prompts()).toEqual([]);
    t.runner.receive(signed(envelope()));
    await t.runner.idle();
    expect(t.runs).toEqual([]);
    expect(t.sent).toHaveLength(2);
  });
});
