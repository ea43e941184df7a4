import { fork } from 'node:child_process';
import type { Snapshot } from '../../shared/snapshot';
import type { CollectOptions } from '../diagnostics/collector';
import type { AgentLogger } from './agent-platform';
import type { SnapshotCollector } from './snapshot.service';

/*
 * Snapshot collection in a short-lived process: systeminformation, the probes and everything a
 * collection allocates live and die with that process, so the agent's own memory is the same after
 * twenty snapshots as before the first. The child (snapshot-worker.ts, its own bundle entry) answers
 * one `collect` message with one `result` or `error` and exits. Hosts start it their way: Node's
 * child_process.fork here (CLI, tests), Electron's utilityProcess in the app (electron/snapshot-process.ts),
 * since packaged builds turn ELECTRON_RUN_AS_NODE off.
 */

/** Parent → child. */
export interface CollectRequest {
  type: 'collect';
  /** Who collects (the snapshot's agent field). */
  agent: { name: string; version: string };
  options: CollectOptions;
}

/** Child → parent. */
export type CollectReply = { type: 'result'; snapshot: Snapshot } | { type: 'error'; message: string };

/** The parent's handle on one child process, whatever started it. */
export interface SnapshotProcess {
  send(message: CollectRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** Starts one child running snapshot-worker. */
export type SpawnSnapshotProcess = () => SnapshotProcess;

/** A whole collection never takes this long (each probe has its own, much smaller budget). */
const COLLECT_TIMEOUT_MS = 120_000;

function isReply(message: unknown): message is CollectReply {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.type === 'error') return typeof m.message === 'string';
  const snapshot = m.snapshot as Record<string, unknown> | null | undefined;
  return (
    m.type === 'result' &&
    typeof snapshot === 'object' &&
    snapshot !== null &&
    typeof snapshot.sections === 'object' &&
    typeof snapshot.probes === 'object'
  );
}

/** A collector that runs each collection in a fresh child process. */
export function createProcessCollector(
  spawn: SpawnSnapshotProcess,
  agent: CollectRequest['agent'],
  logger: AgentLogger,
  timeoutMs = COLLECT_TIMEOUT_MS,
): SnapshotCollector {
  return {
    collect: (options) =>
      new Promise<Snapshot>((resolve, reject) => {
        let settled = false;
        let child: SnapshotProcess;
        const finish = (error: Error | null, snapshot?: Snapshot) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (error) {
            child.kill();
            reject(error);
          } else resolve(snapshot as Snapshot);
        };
        const timer = setTimeout(() => finish(new Error('The snapshot took too long and was stopped')), timeoutMs);
        timer.unref?.();
        try {
          child = spawn();
        } catch (error) {
          clearTimeout(timer);
          return reject(error instanceof Error ? error : new Error(String(error)));
        }
        child.onMessage((message) => {
          if (!isReply(message)) return finish(new Error('The snapshot process answered something unexpected'));
          if (message.type === 'error') return finish(new Error(message.message));
          finish(null, message.snapshot);
        });
        child.onExit((code) => {
          if (!settled) logger.error('snapshot process exited without a snapshot', { code });
          finish(new Error(`The snapshot process exited (${code ?? 'signal'}) without a snapshot`));
        });
        child.send({ type: 'collect', agent, options });
      }),
  };
}

/** Node's way: child_process.fork of the bundled snapshot-worker.js. */
export function forkSnapshotProcess(workerPath: string, execArgv: string[] = []): SpawnSnapshotProcess {
  return () => {
    const child = fork(workerPath, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    return {
      send: (message) => void child.send(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => {
        child.once('exit', (code) => listener(code));
        // Could not start at all (the exit that follows, if any, is then ignored).
        child.once('error', () => listener(null));
      },
      kill: () => void child.kill(),
    };
  };
}
