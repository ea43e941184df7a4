import { describe, expect, it } from 'vitest';
import { healthySnapshot } from '../../../test/fixtures/snapshot-factory';
import { isCanonicalSection } from './section-checks';
import { SECTION_NAMES } from './section-names';
import { sectionSchemas } from './snapshot';

describe('section checks (zod-free)', () => {
  it("agree with zod on every section: true exactly where zod's output equals the input", () => {
    const sections = healthySnapshot().sections;
    for (const name of SECTION_NAMES) {
      const value = sections[name];
      expect(value, name).toBeDefined();
      const parsed = sectionSchemas[name].safeParse(value);
      expect(parsed.success && JSON.stringify(parsed.data) === JSON.stringify(value), name).toBe(true);
      expect(isCanonicalSection(name, value), name).toBe(true);
      // Keys out of the schema's order, an unknown key, a wrong type: not canonical, so zod is asked.
      const reversed = Object.fromEntries(Object.entries(value as object).reverse());
      if (Object.keys(reversed).length > 1) expect(isCanonicalSection(name, reversed), name).toBe(false);
      expect(isCanonicalSection(name, { ...(value as object), extra: 1 }), name).toBe(false);
      expect(isCanonicalSection(name, 'text'), name).toBe(false);
    }
  });
});
