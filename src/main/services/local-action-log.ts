import { join } from 'node:path';
import { z } from 'zod';
import type { RecordLocalActionBody } from '../../shared/api/local-actions';
import type { AgentLogger } from './agent-platform';
import { ApiCallError } from './api-client';
import { readJsonFile, writeFileAtomic } from './atomic-file';

/*
 * The Fix-it runs not yet recorded on the help desk (issue 12): each run is written here before it is
 * sent, and removed once the server has it, so a run made offline (or while the server failed) is sent
 * later — on the next run, when the agent is online again, or at the next start. The server stores a run
 * once per id, so sending one twice (the answer was lost) is harmless. A run the server refuses for good
 * (4xx other than 401) is dropped with an error in the log: sending it again would not change the answer.
 */

/** Runs kept at most; beyond it the oldest are dropped (and said so in the log). */
export const LOCAL_ACTION_LOG_MAX = 200;

/** The file's schema, with the local-actions schemas loaded only when there is a file to read. */
async function fileSchema() {
  const { recordLocalActionSchema } = await import('../../shared/api/local-actions');
  return z.object({ pending: z.array(recordLocalActionSchema) });
}

export interface LocalActionLogDeps {
  dataDir: string;
  send(run: RecordLocalActionBody): Promise<void>;
  logger: AgentLogger;
  /** How long record() waits for the server before it answers `queued` (default 3 s; the send goes on). */
  waitMs?: number;
}

export interface LocalActionLog {
  /** Keeps the run and tries to send it: `sent` when the server has it, else `queued`. */
  record(run: RecordLocalActionBody): Promise<'sent' | 'queued'>;
  /** Sends what is waiting, oldest first; stops at the first failure that may pass (offline). */
  flush(): Promise<void>;
  /** The runs not yet on the server. */
  pending(): readonly RecordLocalActionBody[];
  load(): Promise<void>;
}

export function createLocalActionLog(deps: LocalActionLogDeps): LocalActionLog {
  const file = join(deps.dataDir, 'local-actions.json');
  let pending: RecordLocalActionBody[] = [];
  let loaded: Promise<void> | null = null;
  // One send pass at a time: a run recorded while a flush runs is sent by that pass or the next.
  let chain: Promise<void> = Promise.resolve();

  const load = () =>
    (loaded ??= readJsonFile(file).then(
      async (raw) => {
        if (raw === null || raw === undefined) return;
        const parsed = (await fileSchema()).safeParse(raw);
        if (parsed.success) pending = [...parsed.data.pending, ...pending];
        else
          deps.logger.error('local-actions.json is not readable; its runs are lost', { error: parsed.error.message });
      },
      (error: unknown) => deps.logger.warn('local-actions.json could not be read', { error: String(error) }),
    ));

  const save = () => writeFileAtomic(file, JSON.stringify({ pending }), { mode: 0o600 });

  async function sendAll(): Promise<void> {
    while (pending.length > 0) {
      const run = pending[0]!;
      try {
        await deps.send(run);
      } catch (error) {
        const kind = error instanceof ApiCallError ? error.kind : 'transient';
        if (kind !== 'permanent') {
          deps.logger.info('Fix-it run kept to send later', { runId: run.id, error: String(error) });
          return;
        }
        deps.logger.error('the help desk refused a Fix-it run; it is dropped', {
          runId: run.id,
          action: run.action,
          error: String(error),
        });
      }
      pending = pending.filter((p) => p.id !== run.id);
      await save();
    }
  }

  const flush = () => {
    chain = chain.then(load).then(sendAll, (error: unknown) => {
      deps.logger.warn('Fix-it runs could not be sent', { error: String(error) });
    });
    return chain;
  };

  return {
    async record(run) {
      await load();
      pending.push(run);
      if (pending.length > LOCAL_ACTION_LOG_MAX) {
        const dropped = pending.splice(0, pending.length - LOCAL_ACTION_LOG_MAX);
        deps.logger.error('too many Fix-it runs waiting for the help desk; the oldest are dropped', {
          dropped: dropped.map((d) => d.id),
        });
      }
      await save();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        flush(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deps.waitMs ?? 3000);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
      return pending.some((p) => p.id === run.id) ? 'queued' : 'sent';
    },
    flush,
    pending: () => pending,
    load: () => load(),
  };
}
