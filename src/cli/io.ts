/*
 * What every command shares: where it writes, how it asks, and the error a user's mistake raises.
 * Plain TypeScript with no imports, so the command definitions load nothing heavy.
 */

/** Asks one question on a terminal; resolves to null when the user ends input (Ctrl+D, Ctrl+C). */
export interface Prompter {
  ask(question: string): Promise<string | null>;
  close(): void;
}

/** Where a command writes; real streams in production, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  stdout: { isTTY?: boolean };
  /** A prompter when stdin and stdout are a terminal (and not in CI), else null: never ask. */
  prompter?: () => Promise<Prompter | null>;
}

/** The process's own streams, for a real run (no prompter: the caller adds one where a command may ask). */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdout: process.stdout,
  };
}

/** A failure the user caused (bad flag, bad file): printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes: 0 fine, 1 the check found something that needs attention, 2 bad usage or input. */
export const EXIT = { ok: 0, attention: 1, usage: 2 } as const;
