import type { CommandOutput } from '../command-runner';
import { cleanText, type CommandSpec } from '../parsers/parse-utils';
import type { ProbeContext } from '../probe';

/*
 * Helpers every probe shares: turning vendor placeholders into null, fitting values into the
 * bounded section schemas, and running commands that may be missing without throwing.
 */

/**
 * Values firmware and drivers print when the OEM never filled the field in; showing them to a
 * technician as a real serial or model would be misleading, so they become null.
 */
const PLACEHOLDERS = new Set([
  'to be filled by o.e.m.',
  'to be filled by oem',
  'default string',
  'system serial number',
  'system product name',
  'system manufacturer',
  'system version',
  'chassis serial number',
  'base board serial number',
  'not specified',
  'not applicable',
  'not available',
  'none',
  'n/a',
  'oem',
  'o.e.m.',
  'invalid',
  'unknown',
  'type1productconfigid',
  '0',
  '00000000',
  '0123456789',
  '123456789',
  '-',
]);

/** Is this a vendor placeholder rather than real data? */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.trim().toLowerCase());
}

/**
 * A field as hardware or a driver reported it: one line, bounded, and null when empty or a
 * vendor placeholder. Builds on the parsers' cleanText, which knows nothing of placeholders.
 */
export function cleanField(value: unknown, max = 256): string | null {
  const text = cleanText(value, max);
  return text === null || isPlaceholder(text) ? null : text;
}

/** A finite number, or null (systeminformation uses NaN, null and negative values for "unknown"). */
export function finiteOrNull(value: unknown, { min = 0 }: { min?: number } = {}): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : null;
}

/** A non-negative integer, or null when unknown. */
export function countOrNull(value: unknown): number | null {
  const n = finiteOrNull(value);
  return n === null ? null : Math.round(n);
}

/** Keeps a number inside [min, max]; schemas reject out-of-range values from odd firmware. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Rounds to a number of decimals. */
export function round(value: number, decimals = 1): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The settled value of an optional lookup, or null when it rejected. */
export async function optional<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch {
    return null;
  }
}

/**
 * Runs a command with the probe's abort signal and a short timeout. Returns its output even for a
 * non-zero exit (many status commands report "off" that way), or null when it could not run at all.
 */
export async function runCommand(
  ctx: ProbeContext,
  [command, args]: CommandSpec,
  timeoutMs: number,
): Promise<CommandOutput | null> {
  try {
    const result = await ctx.run.run(command, args, { signal: ctx.signal, timeoutMs, maxBytes: 4 * 1024 * 1024 });
    return result.ok ? result.value : null;
  } catch {
    // A port that throws instead of returning an error value must not take the whole probe down.
    return null;
  }
}

/** Stdout and stderr together: some tools print their status on stderr with a non-zero exit. */
export function allOutput(output: CommandOutput): string {
  return output.stderr ? `${output.stdout}\n${output.stderr}` : output.stdout;
}
