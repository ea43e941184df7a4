import { describe, expect, it } from 'vitest';
import { CATEGORY_LABELS, TICKET_CATEGORIES } from './constants';

describe('renderer constants', () => {
  it("words every help-desk category, in the contract's order", () => {
    expect(Object.keys(CATEGORY_LABELS)).toEqual([...TICKET_CATEGORIES]);
  });
});
