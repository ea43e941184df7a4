import { compileShape, type Check } from './canonical-check';
import type { SectionName } from './section-names';
import { SECTION_SHAPES } from './section-shapes.generated';

/*
 * Is a probe's output a valid section already in canonical form (what zod's parse would return, key for
 * key)? Zod-free: checked against the sections' generated descriptions, so a snapshot from a cold start
 * loads zod only when a section fails this (src/main/diagnostics/collector.ts asks zod then).
 */

const checks = new Map<SectionName, Check>();

export function isCanonicalSection(name: SectionName, value: unknown): boolean {
  let check = checks.get(name);
  if (!check) {
    check = compileShape(SECTION_SHAPES[name]);
    checks.set(name, check);
  }
  return check(value);
}
