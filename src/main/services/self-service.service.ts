import { randomUUID } from 'node:crypto';
import { actionByName } from '../../shared/actions/catalog';
import {
  fixForFinding,
  fixItLinks,
  fixItSummary,
  isSelfServiceAction,
  SELF_SERVICE_FIXES,
  type FixItSource,
} from '../../shared/actions/self-service';
import type { RecordLocalActionBody } from '../../shared/api/local-actions';
import {
  COMMAND_ERROR_MAX,
  COMMAND_RESULT_FIELDS_MAX,
  COMMAND_RESULT_OUTPUT_MAX,
} from '../../shared/channel/channel-limits';
import { IpcError } from '../../shared/ipc/ipc-error';
import type { FixItResult } from '../../shared/ipc/contract';
import { sanitizeMachineText } from '../../shared/text/unsafe-text';
import type { AgentLogger } from './agent-platform';
import type { ActionRunnerPort } from './command-runner.service';
import type { LocalActionLog } from './local-action-log';

/*
 * "Fix it" (issue 12): the employee pressed a Fix-it button on a finding or in an article and confirmed.
 * What arrives from the window is only the action's name and where the button was; this service runs it
 * only when that place really offers it:
 *
 *   finding  → the finding is in the last check, and the self-service table binds its code to the action
 *   article  → the article is synced on this computer, and its Markdown has a Fix-it link to the action
 *
 * The parameters are IT's, from the self-service table, never the window's. It runs through the same
 * runner port as remote commands (runAction: catalog validation, timeout, output cap), one run at a time,
 * and the run is recorded on the help desk (kept and sent later when it cannot be now).
 */

export interface SelfServiceDeps {
  run: ActionRunnerPort;
  /** The finding codes of the last health check (none before the first). */
  findings(): readonly string[];
  /** A synced article's Markdown, or null when this computer does not have it. */
  articleBody(articleId: number): string | null;
  log: Pick<LocalActionLog, 'record'>;
  /** Output of the running action, as it comes (the window's progress). */
  onOutput(action: string, chunk: string): void;
  logger: AgentLogger;
  now: () => number;
  /** Cancels a running action (the agent stops). */
  signal?: AbortSignal;
  newId?: () => string;
}

export interface SelfService {
  run(request: { action: string; source: FixItSource }): Promise<FixItResult>;
}

/** Refuses (as an IpcError) an action the place it was pressed does not offer; answers the action. */
function boundAction(deps: SelfServiceDeps, action: string, source: FixItSource): keyof typeof SELF_SERVICE_FIXES {
  if (!isSelfServiceAction(action)) throw new IpcError('not-allowed', `${action} is not a Fix-it action.`);
  if (source.kind === 'finding') {
    if (fixForFinding(source.code) !== action)
      throw new IpcError('not-bound', `This finding has no Fix-it button for ${action}.`);
    if (!deps.findings().includes(source.code))
      throw new IpcError('not-found', 'That problem was not found by the last check. Run the check again.');
  } else {
    const body = deps.articleBody(source.articleId);
    if (body === null) throw new IpcError('not-found', 'That article is not available on this computer.');
    if (!fixItLinks(body).includes(action))
      throw new IpcError('not-bound', `This article has no Fix-it button for ${action}.`);
  }
  return action;
}

export function createSelfService(deps: SelfServiceDeps): SelfService {
  let running: string | null = null;
  const newId = deps.newId ?? randomUUID;

  return {
    async run({ action: requested, source }) {
      const action = boundAction(deps, requested, source);
      if (running !== null) throw new IpcError('busy', `${actionByName(running)?.title ?? running} is still running.`);
      running = action;
      const params = { ...SELF_SERVICE_FIXES[action].params };
      const startedAt = new Date(deps.now()).toISOString();
      const runId = newId();
      deps.logger.info('Fix-it run started by the employee', { runId, action, source });
      try {
        const result = await deps.run(action, params, {
          signal: deps.signal ?? new AbortController().signal,
          onOutput: (chunk) => deps.onOutput(action, chunk),
        });
        const output = sanitizeMachineText(result.output).slice(0, COMMAND_RESULT_OUTPUT_MAX);
        const fields =
          JSON.stringify(result.fields).length > COMMAND_RESULT_FIELDS_MAX
            ? { truncated: true, note: 'The structured fields were too large to keep' }
            : result.fields;
        const error = result.error
          ? {
              code: sanitizeMachineText(result.error.code).slice(0, 64),
              message: sanitizeMachineText(result.error.message).slice(0, COMMAND_ERROR_MAX),
            }
          : null;
        const record: RecordLocalActionBody = {
          id: runId,
          action,
          params,
          source,
          ok: result.ok,
          exitCode: result.exitCode,
          durationMs: Math.min(Math.max(0, Math.round(result.durationMs)), 24 * 3_600_000),
          fields,
          output,
          outputTruncated: result.outputTruncated || output.length < result.output.length,
          error,
          startedAt,
        };
        deps.logger.info('Fix-it run finished', { runId, action, ok: result.ok, error: error?.message ?? null });
        let recorded: 'sent' | 'queued';
        try {
          recorded = await deps.log.record(record);
        } catch (failure) {
          // The run happened; not being able to write it down must not hide its result from the employee.
          deps.logger.error('Fix-it run could not be kept for the help desk', { runId, error: String(failure) });
          recorded = 'queued';
        }
        return {
          runId,
          action,
          title: actionByName(action)!.title,
          ok: result.ok,
          summary: fixItSummary(action, result.ok, fields),
          exitCode: result.exitCode,
          durationMs: record.durationMs,
          fields,
          output,
          outputTruncated: record.outputTruncated,
          error,
          recorded,
        };
      } finally {
        running = null;
      }
    },
  };
}
