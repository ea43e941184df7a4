import {
  commandActionDefinition,
  parseActionParams,
  type ActionName,
  type ActionPlatform,
} from '../../shared/actions/catalog';
import { isScriptActionName } from '../../shared/actions/script-info';
import type { ScriptCommandParams } from '../../shared/actions/scripts';
import type { ProcessRunner } from './process-runner';
import { createOutputSink } from './output-sink';
import { ACTION_REGISTRY } from './registry';
import { runScript } from './script.action';
import {
  failed,
  type ActionContext,
  type ActionFields,
  type ActionImpl,
  type ActionPorts,
  type ActionRegistry,
  type ImplOutcome,
} from './types';
import { monotonicMs } from '../services/monotonic-clock';

/** What running an action answers: the structured fields, the raw output (capped), exit code and duration. */
export interface ActionResult {
  ok: boolean;
  /** The program's exit code, or null where no program ran or a signal ended it. */
  exitCode: number | null;
  durationMs: number;
  fields: ActionFields;
  output: string;
  outputTruncated: boolean;
  error: { code: string; message: string } | null;
}

/** What runAction needs from the agent. */
export interface ActionRunnerDeps {
  runner: ProcessRunner;
  ports?: ActionPorts;
  /** The OS whose implementation runs (default: this one). */
  platform?: ActionPlatform;
  /** Sees each chunk of output as it is kept (for streaming progress to the console). */
  onOutput?: (chunk: string) => void;
  /** Cancels the run (the user withdrew consent, the agent quits). */
  signal?: AbortSignal;
  /** Replaces implementations (tests); the rest come from the built-in registry. */
  implementations?: Partial<ActionRegistry>;
  /** Lowers the catalog's limits (tests); never raises them. */
  limits?: { timeoutMs?: number; outputCapBytes?: number };
}

/**
 * Runs one catalog action on this device: validates its parameters again (a refusal runs nothing),
 * picks this OS's implementation, ends it at the catalog's timeout, caps its output, and answers a result.
 * Never throws.
 */
export async function runAction(name: string, params: unknown, deps: ActionRunnerDeps): Promise<ActionResult> {
  const started = monotonicMs();
  const parsed = parseActionParams(name, params);
  if (!parsed.ok) return refusal(parsed.error, started);
  // A script's entry (risk, timeout, its one OS) comes from the script its parameters carry.
  const entry = commandActionDefinition(parsed.value.name, parsed.value.params)!;
  const platform = deps.platform ?? currentPlatform();
  if (!platform || !entry.platforms.includes(platform)) {
    return refusal(
      { code: 'unsupported', message: `${entry.name} is not available on ${platform ?? process.platform}` },
      started,
    );
  }
  const impl: ActionImpl<ActionName> | undefined = isScriptActionName(parsed.value.name)
    ? (params, ctx) => runScript(params as unknown as ScriptCommandParams, ctx)
    : implementationOf(parsed.value.name as ActionName, platform, deps.implementations);
  if (!impl)
    return refusal({ code: 'unsupported', message: `${entry.name} has no implementation for ${platform}` }, started);

  const timeoutMs = Math.min(entry.timeoutMs, deps.limits?.timeoutMs ?? Infinity);
  const capBytes = Math.min(entry.outputCapBytes, deps.limits?.outputCapBytes ?? Infinity);
  const sink = createOutputSink(capBytes, deps.onOutput);
  const run = startRun(entry.name, timeoutMs, deps.signal);
  // Once the result is answered, a late implementation (one that ignored its signal) adds nothing to it.
  let open = true;
  const write = (text: string) => open && sink.write(text);
  const ctx: ActionContext = {
    platform,
    signal: run.signal,
    exec: (command, args, options = {}) =>
      deps.runner.run(command, args, {
        ...options,
        signal: run.signal,
        onChunk: options.stream === false ? options.onChunk : (chunk) => (write(chunk), options.onChunk?.(chunk)),
      }),
    write,
    ports: deps.ports ?? {},
  };
  const outcome = await Promise.race([
    run.ended,
    Promise.resolve()
      .then(() => (run.signal.aborted ? run.ended : impl(parsed.value.params as never, ctx)))
      .catch((error: unknown) =>
        failed('failed', `${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`),
      ),
  ]);
  open = false;
  run.dispose();
  return {
    ok: outcome.ok,
    exitCode: outcome.exitCode,
    durationMs: Math.round(monotonicMs() - started),
    fields: outcome.fields,
    output: sink.text(),
    outputTruncated: sink.truncated(),
    error: outcome.ok ? null : outcome.error,
  };
}

/**
 * One run's abort signal: aborted at the timeout or when the caller cancels. `ended` settles with the
 * matching failure at that moment, so the race answers even if an implementation ignores its signal.
 */
function startRun(name: string, timeoutMs: number, cancel: AbortSignal | undefined) {
  const controller = new AbortController();
  let settle: (outcome: ImplOutcome) => void = () => {};
  const ended = new Promise<ImplOutcome>((resolve) => (settle = resolve));
  const stop = (outcome: ImplOutcome) => {
    if (controller.signal.aborted) return;
    settle(outcome);
    controller.abort();
  };
  const timer = setTimeout(
    () => stop(failed('timeout', `${name} did not finish within ${timeoutMs} ms and was ended`)),
    timeoutMs,
  );
  const onCancel = () => stop(failed('cancelled', `${name} was cancelled`));
  cancel?.addEventListener('abort', onCancel, { once: true });
  if (cancel?.aborted) onCancel();
  return {
    signal: controller.signal,
    ended,
    dispose() {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}

function implementationOf(
  name: ActionName,
  platform: ActionPlatform,
  overrides: Partial<ActionRegistry> | undefined,
): ActionImpl<ActionName> | undefined {
  const impls = (overrides?.[name] ?? ACTION_REGISTRY[name]) as Partial<Record<ActionPlatform, ActionImpl<ActionName>>>;
  return impls[platform];
}

function currentPlatform(): ActionPlatform | null {
  const p = process.platform;
  return p === 'linux' || p === 'win32' || p === 'darwin' ? p : null;
}

function refusal(error: { code: string; message: string }, started: number): ActionResult {
  return {
    ok: false,
    exitCode: null,
    durationMs: Math.round(monotonicMs() - started),
    fields: {},
    output: '',
    outputTruncated: false,
    error,
  };
}
