import type { Snapshot } from '../snapshot';
import type { FindingCode, Severity } from './finding';
import type { HealthThresholds } from './thresholds.schema';

export type { HealthThresholds };

/*
 * The shape every health rule shares. Rules are data plus one pure function so the agent, the CLI
 * and the server reach the same verdict on the same snapshot, and IT can tune the numbers without
 * touching the logic.
 */

/** The limits used when IT has configured none. */
export const DEFAULT_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  diskWarnPercent: 90,
  diskCriticalPercent: 95,
  diskMinSizeBytes: 1024 ** 3,
  memoryWarnPercent: 90,
  memoryCriticalPercent: 97,
  swapPressurePercent: 50,
  batteryWarnHealthPercent: 60,
  batteryCriticalHealthPercent: 40,
  batteryWarnCycles: 1000,
  uptimeWarnDays: 14,
  cpuHogPercent: 80,
  crashWarnCount: 1,
  crashCriticalCount: 5,
});

/** One thing a rule found: how bad, and the facts a technician can check. */
export interface RuleHit {
  severity: Severity;
  evidence: string;
}

/** A declarative health rule: one finding code, its wording, and a pure check over a snapshot. */
export interface HealthRule<C extends FindingCode = FindingCode> {
  readonly code: C;
  /** Employee-facing title, the same for every hit of the rule. */
  readonly title: string;
  /** Self-help article tags that address it; stable, kebab-case. */
  readonly articleTags: readonly string[];
  /** Returns no hits when the sections it needs are missing: unknown is not unhealthy. */
  evaluate(snapshot: Snapshot, thresholds: HealthThresholds): RuleHit[];
}

/** Percent as people read it; floored so the shown number never exceeds the measured one. */
export function pct(value: number): string {
  return `${Math.floor(value)}%`;
}

/** Shortens free text quoted into evidence so one noisy message cannot crowd out the rest. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
