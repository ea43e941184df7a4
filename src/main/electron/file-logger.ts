import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentLogger } from '../services/agent-platform';

/*
 * The agent's log: one JSON object per line in the OS log folder (app.getPath('logs')), rotated to
 * <file>.1 past a size limit so it never grows without bound. Writes are synchronous and small: the
 * log must survive a crash, and it is written rarely. Logging never throws into the caller.
 */

/** Options for the file logger. */
export interface FileLoggerOptions {
  file: string;
  /** Rotate when the file passes this many bytes (default 5 MiB). */
  maxBytes?: number;
  now?: () => Date;
}

/** A logger writing JSON lines to a file, with one rotation. */
export function createFileLogger({
  file,
  maxBytes = 5 * 1024 * 1024,
  now = () => new Date(),
}: FileLoggerOptions): AgentLogger {
  let ready = false;
  const write = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => {
    try {
      if (!ready) {
        mkdirSync(dirname(file), { recursive: true });
        ready = true;
      }
      try {
        if (statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
      } catch {
        // No file yet: nothing to rotate.
      }
      appendFileSync(
        file,
        `${JSON.stringify({ time: now().toISOString(), level, message, ...serializable(details) })}\n`,
      );
    } catch {
      // A full disk or a read-only profile must not take the agent down with it.
    }
  };
  return {
    info: (message, details) => write('info', message, details),
    warn: (message, details) => write('warn', message, details),
    error: (message, details) => write('error', message, details),
  };
}

/** Errors become { name, message, stack } (JSON.stringify would drop them to {}). */
function serializable(details: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!details) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}
