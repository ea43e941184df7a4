import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandFrame, CommandRunner } from './command-runner.service';
import { createNonceStore } from './command-nonce-store';
import { onDemandCommandRunner } from './on-demand-services';

/*
 * The stand-ins that load a service on first use, through the command runner: what arrives while its module
 * loads is handled in order, a stop before it loads still stops it, and only an answer left unsent by an
 * earlier run loads it when the channel is live.
 */

let dataDir: string;
const runners: CommandRunner[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'deskside-on-demand-'));
});
afterEach(async () => {
  for (const runner of runners.splice(0)) {
    runner.stop();
    await runner.idle();
  }
  await rm(dataDir, { recursive: true, force: true });
});

function setup() {
  const sent: CommandFrame[] = [];
  const runs: string[] = [];
  const logger = { info: () => {}, warn: () => {}, error: () => {} };
  const runner = onDemandCommandRunner({
    nonces: createNonceStore({ dataDir, now: Date.now, logger }),
    deviceId: () => 'device-1',
    publicKey: () => null,
    managedPolicy: () => ({ reads: 'unattended' }),
    canAsk: () => false,
    send: (frame) => (sent.push(frame), true),
    onPrompts: () => {},
    run: async (name) => {
      runs.push(name);
      throw new Error('not in this test');
    },
    logger,
    now: Date.now,
  });
  runners.push(runner);
  return { runner, sent, runs };
}

const unsigned = () => ({ envelope: { id: randomUUID(), action: 'net.ping' }, signature: 'AAAA' });

describe('services loaded on first use', () => {
  it('answers questions as an empty service before anything arrives, then handles what arrived in order', async () => {
    const t = setup();
    expect(t.runner.prompts()).toEqual([]);
    expect(t.runner.answer(randomUUID(), true)).toBe(false);
    const [first, second] = [unsigned(), unsigned()];
    t.runner.receive(first);
    t.runner.receive(second);
    await t.runner.idle();
    // No pinned key: each is refused, in the order it came.
    expect(t.sent.map((f) => [f.type, 'commandId' in f ? f.commandId : null])).toEqual([
      ['command.update', first.envelope.id],
      ['command.update', second.envelope.id],
    ]);
    expect(t.runs).toEqual([]);
  });

  it('keeps a stop that came before the first command: a later command meets a stopped runner', async () => {
    const t = setup();
    t.runner.stop();
    t.runner.receive(unsigned());
    await t.runner.idle();
    expect(t.sent).toEqual([]);
  });

  it('sends, when the channel is live, an answer an earlier run could not send; with none, sends nothing', async () => {
    const t = setup();
    t.runner.flush();
    await t.runner.idle();
    expect(t.sent).toEqual([]);

    const answer = { type: 'command.update', commandId: randomUUID(), status: 'refused', reason: 'expired: too late' };
    await writeFile(
      join(dataDir, 'command-nonces.json'),
      JSON.stringify({
        version: 1,
        nonces: { n1: { commandId: answer.commandId, expiresAt: Date.now() + 60_000, final: answer, sent: false } },
      }),
    );
    const again = setup();
    again.runner.flush();
    await expect.poll(() => again.sent).toEqual([answer]);
  });
});
