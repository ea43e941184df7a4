import { describe, expect, it } from 'vitest';
import {
  IMPACTS,
  PRIORITIES,
  PRIORITY_LABELS,
  PRIORITY_RANK,
  URGENCIES,
  impactSchema,
  priorityFor,
  prioritySchema,
  raisePriority,
  urgencySchema,
  type Impact,
  type Priority,
  type Urgency,
} from './priority';

describe('priorityFor', () => {
  it.each<[Urgency, Impact, Priority]>([
    ['high', 'high', 'p1'],
    ['high', 'medium', 'p2'],
    ['medium', 'high', 'p2'],
    ['high', 'low', 'p3'],
    ['medium', 'medium', 'p3'],
    ['low', 'high', 'p3'],
    ['medium', 'low', 'p4'],
    ['low', 'medium', 'p4'],
    ['low', 'low', 'p4'],
  ])('urgency %s, impact %s -> %s', (urgency, impact, expected) => {
    expect(priorityFor(urgency, impact)).toBe(expected);
  });

  it('is symmetric in urgency and impact', () => {
    for (const u of URGENCIES) for (const i of IMPACTS) expect(priorityFor(u, i)).toBe(priorityFor(i, u));
  });

  it('never gets less urgent as urgency or impact rises', () => {
    for (let u = 1; u < URGENCIES.length; u += 1) {
      for (const i of IMPACTS) {
        const lower = priorityFor(URGENCIES[u - 1]!, i);
        const higher = priorityFor(URGENCIES[u]!, i);
        expect(PRIORITY_RANK[higher]).toBeLessThanOrEqual(PRIORITY_RANK[lower]);
      }
    }
  });
});

describe('labels and ranks', () => {
  it('labels every priority', () => {
    expect(PRIORITIES.map((p) => PRIORITY_LABELS[p])).toEqual(['Critical', 'High', 'Medium', 'Low']);
  });

  it('ranks p1 first', () => {
    expect(PRIORITIES.map((p) => PRIORITY_RANK[p])).toEqual([0, 1, 2, 3]);
  });
});

describe('raisePriority', () => {
  it.each<[Priority, Priority]>([
    ['p4', 'p3'],
    ['p3', 'p2'],
    ['p2', 'p1'],
    ['p1', 'p1'],
  ])('%s -> %s', (from, to) => {
    expect(raisePriority(from)).toBe(to);
  });
});

describe('schemas', () => {
  it('accept the known values', () => {
    expect(urgencySchema.parse('high')).toBe('high');
    expect(impactSchema.parse('low')).toBe('low');
    expect(prioritySchema.parse('p2')).toBe('p2');
  });

  it('reject anything else', () => {
    expect(urgencySchema.safeParse('critical').success).toBe(false);
    expect(impactSchema.safeParse('').success).toBe(false);
    expect(prioritySchema.safeParse('p5').success).toBe(false);
    expect(prioritySchema.safeParse(1).success).toBe(false);
  });
});
