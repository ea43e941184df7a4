import { commandActionDefinition } from '../../shared/actions/catalog';
import { isScriptActionName } from '../../shared/actions/script-info';
import type { ScriptCommandParams } from '../../shared/actions/scripts';
import { verifyCommand, type SignatureVerifier, type VerifiedCommand } from '../../shared/actions/command-signing';
import { COMMAND_NO_ANSWER_REASON } from '../../shared/actions/command-status';
import {
  CHANNEL_MAX_FRAME_BYTES,
  COMMAND_ERROR_MAX,
  COMMAND_OUTPUT_CHUNK_MAX,
  COMMAND_RESULT_FIELDS_MAX,
  COMMAND_RESULT_OUTPUT_MAX,
} from '../../shared/channel/channel-limits';
import type { UpMessage } from '../../shared/channel/messages';
import type { CommandPrompt } from '../../shared/ipc/contract';
import { sanitizeMachineText } from '../../shared/text/unsafe-text';
import type { ActionResult } from '../actions/action-runner';
import type { AgentLogger } from './agent-platform';
import { ed25519Verifier } from './command-verifier';
import type { FinalFrame, NonceStore } from './command-nonce-store';

/*
 * The agent's side of remote commands (issue 12). Each `command` frame of the live channel is, one at a
 * time and in the order it came:
 *
 *   verify (signature with the pinned key, this device, validity window, catalog parameters, nonce)
 *     └─ refused → command.update refused (the reason) and a log line; nothing runs
 *   decide consent: the catalog entry's `always`, else IT's policy for its risk (unattended | ask | refuse)
 *     ├─ refuse, or ask with no one to ask (the headless daemon) → refused
 *     ├─ ask → awaiting-consent, a prompt for the window; Allow → running {employee}; Deny → denied;
 *     │        no answer before the expiry → expired (nobody's consent, COMMAND_NO_ANSWER_REASON)
 *     └─ unattended → running {policy}
 *   run (the action runner port: runAction in the agent) → command.output chunks, then command.result
 *
 * The technician's reason the prompt shows is the signed one (envelope.reason); a frame carrying another
 * is refused before its nonce is used.
 *
 * The server sends a command again on every new connection until the agent answers it (at least once),
 * so the agent makes it exactly once: the same command while it waits in line is dropped; while it is
 * handled, its last progress update (awaiting-consent, running) is sent again; once it ended, the nonce
 * store's remembered final frame is. A command whose handling the agent lost (it stopped mid-run) is
 * refused, never run again. Frames the channel could not send (it was down) are sent again when it is
 * back (flush()).
 */

/** IT's policy per risk level (managed config `commandPolicy`). */
export interface CommandPolicy {
  reads: 'unattended' | 'ask' | 'refuse';
  changes: 'ask' | 'refuse';
}
export const DEFAULT_COMMAND_POLICY: CommandPolicy = { reads: 'ask', changes: 'ask' };

export type CommandFrame = UpMessage<'command.update' | 'command.output' | 'command.result'>;

/** Runs a verified action (runAction with this machine's ports in the agent; a recording fake in tests). */
export type ActionRunnerPort = (
  name: string,
  params: unknown,
  options: { onOutput(chunk: string): void; signal: AbortSignal },
) => Promise<ActionResult>;

export interface CommandRunnerDeps {
  nonces: NonceStore;
  /** This device's id, null before enrollment. */
  deviceId(): string | null;
  /** The server key pinned at enrollment, null when none is (everything is refused then). */
  publicKey(): string | null;
  policy(): CommandPolicy;
  /** Whether someone can be asked: a window (the tray app) is there to show the prompt. */
  canAsk(): boolean;
  /** Sends an up frame on the live channel; false when it did not go (the channel is down). */
  send(frame: CommandFrame): boolean;
  /** The prompts waiting for an answer changed (the window shows them). */
  onPrompts(prompts: CommandPrompt[]): void;
  run: ActionRunnerPort;
  logger: AgentLogger;
  now: () => number;
  verifier?: SignatureVerifier;
  /** Output is sent at most this often while an action runs (default 250 ms). */
  outputIntervalMs?: number;
}

export interface CommandRunner {
  /** A `command` frame from the channel (queued; handled one at a time). */
  receive(signed: unknown, reason?: string): void;
  /** The employee's answer; false when no such command waits for one. */
  answer(commandId: string, allow: boolean): boolean;
  prompts(): CommandPrompt[];
  /** The channel is live again: sends the final answers it could not send before. */
  flush(): void;
  /** Resolves when every command received so far is handled (tests, shutdown). */
  idle(): Promise<void>;
  /** Cancels a running action and the pending prompt; later frames are ignored. */
  stop(): void;
}

/** The employee's answer, or why there was none. */
type Answer = boolean | 'expired' | 'stopped';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createCommandRunner(deps: CommandRunnerDeps): CommandRunner {
  const verifier = deps.verifier ?? ed25519Verifier;
  const { logger, nonces } = deps;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const stopper = new AbortController();
  const active = new Set<string>();
  /** Commands received and not handled yet (a copy sent again meanwhile is dropped). */
  const waiting = new Set<string>();
  /** The last progress update of each command being handled, sent again when the command is. */
  const progress = new Map<string, CommandFrame>();
  let pending: { prompt: CommandPrompt; answer(allow: Answer): void } | null = null;

  const prompts = () => (pending ? [pending.prompt] : []);

  /** Sends a frame that ends a command and records it with the nonce (sent or not). */
  async function finish(nonce: string | null, final: CommandFrame): Promise<void> {
    const sent = deps.send(final);
    if (nonce === null) return;
    nonces.finish(nonce, final as FinalFrame, sent);
    await nonces.save();
  }

  async function refuse(commandId: string | null, nonce: string | null, reason: string): Promise<void> {
    logger.warn('remote command refused', { commandId, reason });
    if (commandId === null || !UUID.test(commandId)) return;
    await finish(nonce, {
      type: 'command.update',
      commandId,
      status: 'refused',
      reason: sanitizeMachineText(reason).slice(0, COMMAND_ERROR_MAX),
    });
  }

  /** Sends a progress update (not final), remembered while the command is handled. */
  function sendProgress(update: CommandFrame & { type: 'command.update' }): void {
    progress.set(update.commandId, update);
    deps.send(update);
  }

  async function handle(signed: unknown, reason: string | undefined): Promise<void> {
    // Queued before stop(): left alone (its nonce unused), the server keeps it until it expires.
    if (stopped) return;
    await nonces.load();
    const claimed = claimedEnvelope(signed);
    const key = deps.publicKey();
    const deviceId = deps.deviceId();
    if (key === null || deviceId === null)
      return refuse(claimed.id, null, 'no-key: this computer has no pinned command key for the help desk');
    // The prompt shows only the signed reason; a different one beside it was put there by someone else.
    // Checked before verifying, so a tampered copy does not use up the genuine command's nonce.
    if (reason !== undefined && reason !== claimed.reason)
      return refuse(claimed.id, null, "bad-signature: the technician's reason does not match the signed one");
    const verified = verifyCommand(signed, {
      publicKeyPem: key,
      deviceId,
      now: deps.now(),
      verifier,
      seenNonce: (nonce, expiresAt) => nonces.seen(nonce, claimed.id ?? '', expiresAt),
    });
    if (!verified.ok) {
      // replayed comes last, after the signature: the envelope is the server's own. The same command
      // delivered again is answered again; another command reusing a nonce is refused.
      if (verified.error.code === 'replayed' && claimed.nonce !== null) {
        const entry = nonces.get(claimed.nonce);
        if (entry && entry.commandId === claimed.id) {
          if (entry.final) {
            logger.info('remote command delivered again; sending its answer again', { commandId: claimed.id });
            if (deps.send(entry.final as CommandFrame)) nonces.markSent(claimed.nonce);
            return nonces.save();
          }
          // Accepted before, never finished: this agent stopped while handling it. It may have run in
          // part; it is not run again.
          return refuse(
            claimed.id,
            claimed.nonce,
            'interrupted: the agent stopped while handling this command; it is not run again',
          );
        }
      }
      return refuse(claimed.id, null, `${verified.error.code}: ${verified.error.message}`);
    }
    await nonces.save();
    const command = verified.value;
    active.add(command.envelope.id);
    try {
      await consentAndRun(command);
    } finally {
      active.delete(command.envelope.id);
      progress.delete(command.envelope.id);
    }
  }

  async function consentAndRun(command: VerifiedCommand): Promise<void> {
    const { envelope } = command;
    // A script's entry (its risk: `changes` always asks unless policy refuses) comes from the signed script.
    const entry = commandActionDefinition(envelope.action, command.action.params)!;
    const policy = deps.policy();
    // IT's refusal for the action's risk comes first; then a fix is never unattended, whatever a (mis)typed
    // policy says, and an `always` entry always asks.
    const forRisk = entry.risk === 'changes' ? (policy.changes === 'refuse' ? 'refuse' : 'ask') : policy.reads;
    const mode = forRisk === 'refuse' ? 'refuse' : entry.consent === 'always' ? 'ask' : forRisk;
    if (mode === 'refuse')
      return refuse(
        envelope.id,
        envelope.nonce,
        `policy: IT's policy refuses remote actions that ${entry.risk === 'reads' ? 'read' : 'change'} something`,
      );
    let consent: { by: 'employee' | 'policy' };
    if (mode === 'ask') {
      if (!deps.canAsk()) return refuse(envelope.id, envelope.nonce, 'no one to ask: this agent runs without a window');
      sendProgress({ type: 'command.update', commandId: envelope.id, status: 'awaiting-consent' });
      const answer = await ask(command);
      if (answer === 'stopped')
        return refuse(envelope.id, envelope.nonce, 'stopped: the agent stopped before the employee answered');
      if (answer === 'expired') {
        // Nobody answered: not a denial, no one is named.
        logger.info('remote command expired unanswered', { commandId: envelope.id });
        return finish(envelope.nonce, {
          type: 'command.update',
          commandId: envelope.id,
          status: 'expired',
          reason: COMMAND_NO_ANSWER_REASON,
        });
      }
      if (!answer) {
        logger.info('remote command denied', { commandId: envelope.id });
        return finish(envelope.nonce, {
          type: 'command.update',
          commandId: envelope.id,
          status: 'denied',
          consent: { by: 'employee' },
        });
      }
      consent = { by: 'employee' };
    } else consent = { by: 'policy' };
    if (stopped) return;
    logger.info('running remote command', { commandId: envelope.id, action: envelope.action, consent: consent.by });
    sendProgress({ type: 'command.update', commandId: envelope.id, status: 'running', consent });
    const result = await runStreaming(envelope.id, command);
    await finish(envelope.nonce, resultFrame(envelope.id, result));
  }

  function ask(command: VerifiedCommand): Promise<Answer> {
    const { envelope, action } = command;
    const entry = commandActionDefinition(envelope.action, action.params)!;
    // A script is shown verbatim, its values beside it (each is one argument, never part of the text).
    const script = isScriptActionName(action.name) ? (action.params as ScriptCommandParams) : null;
    const prompt: CommandPrompt = {
      commandId: envelope.id,
      action: envelope.action,
      title: entry.title,
      description: entry.description,
      risk: entry.risk,
      alwaysAsks: entry.consent === 'always',
      params: script ? script.args : (action.params as Record<string, unknown>),
      ...(script ? { script: { shell: script.script.shell, body: script.script.body } } : {}),
      requestedBy: envelope.requestedBy.name,
      reason: envelope.reason ?? null,
      ticketId: envelope.ticketId,
      expiresAt: envelope.expiresAt,
    };
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('expired'), Math.max(0, Date.parse(envelope.expiresAt) - deps.now()));
      timer.unref?.();
      const onStop = () => settle('stopped');
      stopper.signal.addEventListener('abort', onStop);
      function settle(answer: Answer) {
        if (pending?.prompt.commandId !== envelope.id) return;
        clearTimeout(timer);
        stopper.signal.removeEventListener('abort', onStop);
        pending = null;
        deps.onPrompts(prompts());
        resolve(answer);
      }
      pending = { prompt, answer: settle };
      if (stopper.signal.aborted) return settle('stopped');
      deps.onPrompts(prompts());
    });
  }

  async function runStreaming(commandId: string, command: VerifiedCommand): Promise<ActionResult> {
    let buffered = '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flushOutput = () => {
      timer = null;
      while (buffered.length > 0) {
        const chunk = sanitizeMachineText(cut(buffered, COMMAND_OUTPUT_CHUNK_MAX));
        buffered = buffered.slice(cutLength(buffered, COMMAND_OUTPUT_CHUNK_MAX));
        if (chunk.length > 0) deps.send({ type: 'command.output', commandId, chunk });
      }
    };
    const result = await deps.run(command.action.name, command.action.params, {
      signal: stopper.signal,
      onOutput(chunk) {
        buffered += chunk;
        timer ??= setTimeout(flushOutput, deps.outputIntervalMs ?? 250);
      },
    });
    if (timer) clearTimeout(timer);
    flushOutput();
    return result;
  }

  return {
    receive(signed, reason) {
      if (stopped) return;
      // The server sends a command again on each new connection until it hears from the agent about it.
      const { id } = claimedEnvelope(signed);
      if (id !== null && active.has(id)) {
        // Being handled: say again where it is (that update may have been lost with the connection).
        const last = progress.get(id);
        if (last) deps.send(last);
        return;
      }
      if (id !== null && waiting.has(id)) {
        logger.info('remote command received again while it waits its turn', { commandId: id });
        return;
      }
      if (id !== null) waiting.add(id);
      chain = chain.then(() =>
        handle(signed, reason)
          .catch((error: unknown) => logger.error('remote command failed', { error: String(error) }))
          .finally(() => {
            if (id !== null) waiting.delete(id);
          }),
      );
    },
    answer(commandId, allow) {
      if (pending?.prompt.commandId !== commandId) return false;
      pending.answer(allow);
      return true;
    },
    prompts,
    flush() {
      void nonces.load().then(async () => {
        const unsent = nonces.unsent();
        if (unsent.length === 0) return;
        for (const [nonce, entry] of unsent) if (deps.send(entry.final as CommandFrame)) nonces.markSent(nonce);
        await nonces.save();
      });
    },
    idle: () => chain,
    stop() {
      stopped = true;
      stopper.abort();
    },
  };
}

/**
 * The id, nonce and reason an envelope claims (unverified: only to address a refusal, look a nonce up and
 * compare a frame's reason with the one the signature will cover).
 */
function claimedEnvelope(signed: unknown): { id: string | null; nonce: string | null; reason: string | undefined } {
  const envelope = (signed as { envelope?: unknown } | null)?.envelope as
    { id?: unknown; nonce?: unknown; reason?: unknown } | null | undefined;
  return {
    id: typeof envelope?.id === 'string' ? envelope.id : null,
    nonce: typeof envelope?.nonce === 'string' ? envelope.nonce : null,
    reason: typeof envelope?.reason === 'string' ? envelope.reason : undefined,
  };
}

/** Length of the longest prefix of at most max UTF-16 units that does not split a surrogate pair. */
function cutLength(value: string, max: number): number {
  if (value.length <= max) return value.length;
  const code = value.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
const cut = (value: string, max: number) => value.slice(0, cutLength(value, max));

const TRUNCATED_NOTE = '\n[output cut to fit the message]';

/** The result frame, held to the frame table's limits and to the channel's frame size in bytes. */
export function resultFrame(commandId: string, result: ActionResult): UpMessage<'command.result'> {
  let fields = result.fields;
  if (JSON.stringify(fields).length > COMMAND_RESULT_FIELDS_MAX)
    fields = { truncated: true, note: 'The structured fields were too large to send' };
  const error = result.error ? sanitizeMachineText(result.error.message).slice(0, COMMAND_ERROR_MAX) : null;
  let output = sanitizeMachineText(result.output);
  let max = COMMAND_RESULT_OUTPUT_MAX;
  const build = (): UpMessage<'command.result'> => ({
    type: 'command.result',
    commandId,
    ok: result.ok,
    exitCode: result.exitCode,
    durationMs: Math.min(Math.max(0, Math.round(result.durationMs)), 24 * 3_600_000),
    fields,
    output,
    error,
  });
  // Multi-byte output can be within the character limit and still too big a frame: cut further.
  const original = output;
  while (
    output.length > COMMAND_RESULT_OUTPUT_MAX ||
    Buffer.byteLength(JSON.stringify(build())) > CHANNEL_MAX_FRAME_BYTES - 256
  ) {
    max = Math.floor(Math.min(max, original.length) * 0.8);
    if (max <= TRUNCATED_NOTE.length * 2) {
      output = TRUNCATED_NOTE.trim();
      break;
    }
    output = cut(original, max - TRUNCATED_NOTE.length) + TRUNCATED_NOTE;
  }
  return build();
}
