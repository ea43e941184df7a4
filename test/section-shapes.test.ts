import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECTION_SHAPES_FILE, sectionShapesSource } from '../scripts/gen/section-shapes';

describe('src/shared/snapshot/section-shapes.generated.ts', () => {
  it('is generated from the section schemas as they are now (else run `npm run gen:section-shapes`)', async () => {
    expect(readFileSync(SECTION_SHAPES_FILE, 'utf8')).toBe(await sectionShapesSource());
  });
});
