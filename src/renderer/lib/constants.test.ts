import { describe, expect, it } from 'vitest';
import { TICKET_CATEGORIES as SHARED_CATEGORIES } from '../../shared/api/tickets';
import { SEVERITY_RANK as SHARED_RANK } from '../../shared/health/finding';
import { PRIORITY_LABELS as SHARED_PRIORITIES } from '../../shared/priority';
import { SECTION_NAMES as SHARED_NAMES, SECTION_TITLES as SHARED_TITLES } from '../../shared/snapshot';
import { PRIORITY_LABELS, SECTION_NAMES, SECTION_TITLES, SEVERITY_RANK, TICKET_CATEGORIES } from './constants';

describe('renderer constants restate the shared ones exactly', () => {
  it('sections: same names, same order, same titles', () => {
    expect(SECTION_NAMES).toEqual(SHARED_NAMES);
    expect(SECTION_TITLES).toEqual(SHARED_TITLES);
  });
  it('categories in the same order', () => {
    expect(TICKET_CATEGORIES).toEqual([...SHARED_CATEGORIES]);
  });
  it('severity rank and priority labels', () => {
    expect(SEVERITY_RANK).toEqual(SHARED_RANK);
    expect(PRIORITY_LABELS).toEqual(SHARED_PRIORITIES);
  });
});
