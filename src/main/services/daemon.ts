import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentState } from '../../shared/ipc/contract';
import { createAgentCore, type AgentCoreDeps } from './agent-core';
import type { AgentCore, AgentLogger, AgentPlatform } from './agent-platform';
import { loadManagedConfig } from './managed-config';
import { forkSnapshotProcess } from './snapshot-process';
import { createJsonSettingsStore } from './settings-store';

/*
 * The headless daemon (`deskside agent run`): the tray app's agent core on a plain Node platform,
 * logging JSON lines, running until SIGTERM or SIGINT. No electron here; the CLI action only parses
 * flags and calls runDaemon.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A structured logger: one JSON object per line (time, level, msg, fields). */
export interface DaemonLogger extends AgentLogger {
  debug(message: string, details?: Record<string, unknown>): void;
}

/** Identical warnings within this window (the core's retries while the server is down) drop to debug. */
const REPEAT_WINDOW_MS = 10 * 60_000;

/** JSON-lines logger at `level`; a warning or error repeated within ten minutes is logged at debug. */
export function createJsonLogger(options: {
  level: LogLevel;
  write: (line: string) => void;
  now?: () => number;
}): DaemonLogger {
  const now = options.now ?? Date.now;
  const threshold = LOG_LEVELS.indexOf(options.level);
  const lastSeen = new Map<string, number>();
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg };
    if (fields && Object.keys(fields).length > 0) line.fields = fields;
    let text: string;
    try {
      text = JSON.stringify(line);
    } catch {
      text = JSON.stringify({ time: line.time, level, msg, fields: { unserializable: true } });
    }
    options.write(`${text}\n`);
  };
  const repeatable = (level: 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    const key = `${level}\0${msg}\0${JSON.stringify(fields ?? {})}`;
    const t = now();
    const previous = lastSeen.get(key);
    if (previous !== undefined && t - previous < REPEAT_WINDOW_MS) return emit('debug', msg, fields);
    if (lastSeen.size > 256) lastSeen.clear();
    lastSeen.set(key, t);
    emit(level, msg, fields);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: repeatable('warn'),
    error: repeatable('error'),
  };
}

/** What the daemon's AgentPlatform is built from. */
export interface DaemonPlatformOptions {
  dataDir: string;
  version: string;
  logger: AgentLogger;
  /** Managed-config flags (--server-url, --enroll-secret, --config, --group) as an argv. */
  managedArgv?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** The agent platform in a plain Node process: IT's managed config, settings.json, no window or tray. */
export function createNodeAgentPlatform(options: DaemonPlatformOptions): {
  platform: AgentPlatform;
  managedErrors: string[];
} {
  const managed = loadManagedConfig({
    platform: process.platform,
    argv: options.managedArgv ?? [],
    env: options.env ?? process.env,
  });
  return {
    platform: {
      appName: 'Deskside',
      version: options.version,
      dataDir: options.dataDir,
      // Logs go to stdout (journald, launchd's log file); nothing is written here.
      logFile: join(options.dataDir, 'agent.log'),
      managedConfigPath: managed.path,
      managed: managed.config,
      settings: createJsonSettingsStore(join(options.dataDir, 'settings.json')),
      logger: options.logger,
      openExternal: async () => {},
    },
    managedErrors: managed.errors,
  };
}

/** Signals the daemon listens to; process in production, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface DaemonOptions extends DaemonPlatformOptions {
  logger: DaemonLogger;
  /** The bundled snapshot-worker.js; when missing, snapshots are collected in this process. */
  snapshotWorkerPath: string | null;
  signals: SignalSource;
  /** Called on a second signal while stopping: end now. */
  forceExit(code: number): void;
  /** Test overrides for the core (collector, machine id, timing). */
  coreDeps?: AgentCoreDeps;
  /** Delay before building the core again after start() threw (doubles up to 5 min). */
  restartDelayMs?: number;
}

/**
 * Logs the agent's state changes: enrolled, online/offline, the outbox's counts. A retry is not a
 * change: "enrolling" is debug, and a failure with the same reason as the last one is debug too.
 */
export function createStateReporter(logger: DaemonLogger): (state: AgentState) => void {
  let last: AgentState | null = null;
  let lastFailure: string | null = null;
  return (state) => {
    const e = state.enrollment;
    if (!last || last.enrollment.state !== e.state) {
      const fields: Record<string, unknown> = { serverUrl: e.serverUrl };
      if (e.deviceId) fields.deviceId = e.deviceId;
      if (e.error) fields.error = e.error;
      const retry = e.state === 'enrolling' || (e.state === 'failed' && e.error === lastFailure);
      (retry ? logger.debug : logger.info)(`enrollment ${e.state}`, fields);
      if (e.state === 'failed') lastFailure = e.error;
      else if (e.state !== 'enrolling') lastFailure = null;
    }
    if ((last?.online ?? false) !== state.online) {
      logger.info(state.online ? 'online' : 'offline', { serverUrl: e.serverUrl });
    }
    const { pending, failed } = state.outbox;
    if ((last?.outbox.pending ?? 0) !== pending || (last?.outbox.failed ?? 0) !== failed) {
      logger.info('outbox changed', { pending, failed });
    }
    last = state;
  };
}

/**
 * Runs the agent core until SIGTERM or SIGINT; resolves to the exit code (0 after a clean stop).
 * A start that throws (a data folder not writable yet, say) is retried with a growing delay; the
 * server being down is not a failure here: the core retries on its own.
 */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { logger } = options;
  const { platform, managedErrors } = createNodeAgentPlatform(options);
  for (const error of managedErrors) logger.warn('managed config', { error });

  let spawnSnapshot: AgentCoreDeps['snapshotProcess'];
  if (options.snapshotWorkerPath && existsSync(options.snapshotWorkerPath)) {
    spawnSnapshot = forkSnapshotProcess(options.snapshotWorkerPath);
  } else {
    logger.warn('snapshot worker not found; snapshots are collected in this process', {
      path: options.snapshotWorkerPath,
    });
  }

  let stopping = false;
  let core: AgentCore | null = null;
  let wakeRetry: (() => void) | null = null;
  let removeListeners = () => {};
  const stopped = new Promise<string>((resolve) => {
    const onSignal = (signal: 'SIGTERM' | 'SIGINT') => () => {
      if (stopping) {
        logger.warn('second signal: exiting now', { signal });
        options.forceExit(signal === 'SIGINT' ? 130 : 143);
        return;
      }
      stopping = true;
      logger.info('stopping', { signal });
      wakeRetry?.();
      resolve(signal);
    };
    const term = onSignal('SIGTERM');
    const int = onSignal('SIGINT');
    options.signals.on('SIGTERM', term);
    options.signals.on('SIGINT', int);
    removeListeners = () => {
      options.signals.off('SIGTERM', term);
      options.signals.off('SIGINT', int);
    };
  });

  // The core's timers are unref'd (a tray app lives by its window); a daemon lives by this.
  const keepAlive = setInterval(() => {}, 1 << 30);
  logger.info('agent starting', {
    version: options.version,
    dataDir: options.dataDir,
    serverUrl: platform.managed.serverUrl ?? null,
    managedConfig: platform.managedConfigPath,
    pid: process.pid,
  });

  let delay = options.restartDelayMs ?? 1000;
  while (!stopping) {
    const next = createAgentCore(platform, { snapshotProcess: spawnSnapshot, ...options.coreDeps });
    const report = createStateReporter(logger);
    let reported = false;
    next.onEvent((event, payload) => {
      if (event !== 'state') return;
      reported = true;
      report(payload as AgentState);
    });
    try {
      await next.start();
      core = next;
      if (!reported) report(next.state());
      logger.info('agent started');
      break;
    } catch (error) {
      await next.stop().catch(() => {});
      logger.error('agent failed to start; trying again', { error: String(error), retryInMs: delay });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeRetry = () => (clearTimeout(timer), resolve());
      });
      wakeRetry = null;
      delay = Math.min(delay * 2, 5 * 60_000);
    }
  }

  const signal = await stopped;
  try {
    await core?.stop();
  } catch (error) {
    logger.error('stop failed', { error: String(error) });
  }
  clearInterval(keepAlive);
  logger.info('agent stopped', { signal });
  removeListeners();
  return 0;
}
