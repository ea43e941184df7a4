import { describe, expect, it } from 'vitest';
import type { BusinessHours } from './business-hours';
import { finalState, livePlan, resumedDueAt, targetState } from './sla-clock';
import type { SlaPolicy } from './sla.service';

const at = (iso: string) => Date.parse(iso);
const hours: BusinessHours = { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };
const p2: SlaPolicy = {
  id: 2,
  priority: 'p2',
  firstResponseMinutes: 60,
  resolutionMinutes: 480,
  businessHours: hours,
  warningPercent: 80,
  updatedAt: 0,
};
const open = {
  status: 'open' as const,
  sla_state: 'ok' as const,
  first_response_at: null,
  first_response_due_at: at('2026-03-02T10:00:00Z'),
  resolution_due_at: at('2026-03-02T17:00:00Z'),
};

describe('targetState', () => {
  it('warns when at most 20 % of the business time is left and breaches at the due instant', () => {
    const due = at('2026-03-02T10:00:00Z');
    expect(targetState(at('2026-03-02T09:47:59.999Z'), due, 60, 80, hours)).toBe('ok');
    expect(targetState(at('2026-03-02T09:48:00Z'), due, 60, 80, hours)).toBe('warning');
    expect(targetState(due, due, 60, 80, hours)).toBe('breached');
    expect(targetState(due - 1, due, null, 80, hours)).toBe('ok');
  });

  it('counts only business time: Friday evening is far from a Monday 10:00 deadline', () => {
    expect(targetState(at('2026-03-06T18:00:00Z'), at('2026-03-09T10:00:00Z'), 120, 80, hours)).toBe('ok');
    expect(targetState(at('2026-03-06T18:00:00Z'), at('2026-03-09T10:00:00Z'), 120, 80, null)).toBe('ok');
    expect(targetState(at('2026-03-06T18:00:00Z'), at('2026-03-09T09:20:00Z'), 120, 80, hours)).toBe('warning');
  });
});

describe('livePlan', () => {
  it('shows the worse running target and asks for one trigger per target', () => {
    expect(livePlan(open, p2, at('2026-03-02T09:10:00Z'))).toEqual({ state: 'ok', triggers: [] });
    expect(livePlan(open, p2, at('2026-03-02T09:50:00Z'))).toEqual({
      state: 'warning',
      triggers: ['first_response_warning'],
    });
    expect(livePlan(open, p2, at('2026-03-02T16:00:00Z'))).toEqual({
      state: 'breached',
      triggers: ['first_response_breach', 'resolution_warning'],
    });
    // Answered: only the resolution target runs.
    expect(
      livePlan({ ...open, first_response_at: at('2026-03-02T10:30:00Z') }, p2, at('2026-03-02T11:00:00Z')),
    ).toEqual({ state: 'ok', triggers: [] });
  });
});

describe('finalState', () => {
  it('is met only when both targets were met', () => {
    expect(finalState(open, at('2026-03-02T09:30:00Z'))).toBe('met');
    expect(finalState({ ...open, first_response_at: at('2026-03-02T10:30:00Z') }, at('2026-03-02T12:00:00Z'))).toBe(
      'breached',
    );
    expect(finalState({ ...open, first_response_at: at('2026-03-02T09:30:00Z') }, at('2026-03-02T17:00:00.001Z'))).toBe(
      'breached',
    );
    expect(finalState({ ...open, sla_state: 'none' }, at('2026-03-02T09:30:00Z'))).toBe('none');
  });
});

describe('resumedDueAt', () => {
  it('keeps the business time that was left at the pause', () => {
    // Paused Monday 16:00 with one hour left, resumed Wednesday 09:30: due 10:30.
    expect(
      resumedDueAt(at('2026-03-02T17:00:00Z'), at('2026-03-02T16:00:00Z'), at('2026-03-04T09:30:00Z'), hours),
    ).toBe(at('2026-03-04T10:30:00Z'));
    // Paused over a weekend with the clock outside hours: nothing changes before Monday's opening.
    expect(
      resumedDueAt(at('2026-03-09T10:00:00Z'), at('2026-03-06T18:00:00Z'), at('2026-03-08T12:00:00Z'), hours),
    ).toBe(at('2026-03-09T10:00:00Z'));
    // Already breached when paused: stays where it was.
    expect(
      resumedDueAt(at('2026-03-02T17:00:00Z'), at('2026-03-02T18:00:00Z'), at('2026-03-03T09:00:00Z'), hours),
    ).toBe(at('2026-03-02T17:00:00Z'));
    expect(resumedDueAt(null, 0, 1, hours)).toBeNull();
  });
});
