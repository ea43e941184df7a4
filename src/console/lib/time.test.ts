import { describe, expect, it } from 'vitest';
import { dueText, slaView } from './time';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const sla = (
  first: string | null,
  resolution: string | null,
  state: 'none' | 'ok' | 'warning' | 'breached' | 'met' = 'ok',
) => ({ policyId: 1, firstResponseDueAt: first, resolutionDueAt: resolution, state });

describe('slaView', () => {
  it('counts down to the first response until someone answered', () => {
    expect(slaView({ status: 'new', firstResponseAt: null, sla: sla(at(133), at(600)) }, NOW)).toEqual({
      label: 'Response',
      tone: 'ok',
      text: 'due in 2 h 13 m',
    });
  });

  it('then to resolution, and says overdue once it passed', () => {
    expect(slaView({ status: 'open', firstResponseAt: at(-60), sla: sla(at(-30), at(-35), 'breached') }, NOW)).toEqual({
      label: 'Resolution',
      tone: 'breach',
      text: 'overdue 35 m',
    });
  });

  it('warns in the last hour or when the server says so', () => {
    expect(slaView({ status: 'open', firstResponseAt: at(-5), sla: sla(null, at(50)) }, NOW).tone).toBe('warning');
    expect(slaView({ status: 'open', firstResponseAt: at(-5), sla: sla(null, at(500), 'warning') }, NOW).tone).toBe(
      'warning',
    );
  });

  it('shows the outcome on finished tickets and nothing without a policy', () => {
    expect(slaView({ status: 'resolved', firstResponseAt: at(-5), sla: sla(null, at(5), 'met') }, NOW)).toMatchObject({
      tone: 'met',
      text: 'met',
    });
    expect(
      slaView({ status: 'closed', firstResponseAt: at(-5), sla: sla(null, at(5), 'breached') }, NOW),
    ).toMatchObject({ tone: 'breach' });
    expect(slaView({ status: 'open', firstResponseAt: null, sla: sla(null, null, 'none') }, NOW)).toMatchObject({
      tone: 'none',
      text: 'no SLA',
    });
  });

  it('dueText formats a single due time', () => {
    expect(dueText(null, NOW)).toBe('—');
    expect(dueText(at(90), NOW)).toBe('due in 1 h 30 m');
    expect(dueText(at(-1), NOW)).toBe('overdue 1 m');
  });
});
