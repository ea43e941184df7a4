import { z } from 'zod';

/*
 * The health rules' tunable limits as a schema (IT may push them from the server). Apart from
 * rule.ts so the rules themselves, which the CLI's snapshot and check run, load no zod.
 */

const percent = z.number().min(0).max(100);
const positiveCount = z.number().int().positive();

/** Tunable limits of the health rules; a schema because IT may push them from the server. */
export const healthThresholdsSchema = z.object({
  diskWarnPercent: percent,
  diskCriticalPercent: percent,
  /** Smaller filesystems (EFI partitions, recovery volumes) are not worth a finding. */
  diskMinSizeBytes: z.number().nonnegative(),
  memoryWarnPercent: percent,
  memoryCriticalPercent: percent,
  /** Swap use at which high RAM use becomes real pressure rather than a full page cache. */
  swapPressurePercent: percent,
  batteryWarnHealthPercent: percent,
  batteryCriticalHealthPercent: percent,
  batteryWarnCycles: positiveCount,
  uptimeWarnDays: z.number().positive(),
  /** Percent of ONE logical core, as `top` shows it, so 400 means four busy cores. */
  cpuHogPercent: z.number().positive(),
  crashWarnCount: positiveCount,
  crashCriticalCount: positiveCount,
});

/** Tunable limits of the health rules. */
export type HealthThresholds = z.infer<typeof healthThresholdsSchema>;
