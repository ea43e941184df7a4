import { describe, expect, it } from 'vitest';
import { lastDays, rangeProblem } from './period';

describe('report periods', () => {
  const now = Date.parse('2026-03-02T23:30:00Z');

  it('counts whole UTC days ending today', () => {
    expect(lastDays(7, now)).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(lastDays(1, now)).toEqual({ from: '2026-03-02', to: '2026-03-02' });
    expect(lastDays(90, now).from).toBe('2025-12-03');
  });

  it('refuses empty, reversed and over-long custom ranges', () => {
    expect(rangeProblem({ from: '2026-01-01', to: '2026-01-31' })).toBeNull();
    expect(rangeProblem({ from: '', to: '2026-01-31' })).toMatch(/both/);
    expect(rangeProblem({ from: '2026-02-01', to: '2026-01-31' })).toMatch(/after/);
    expect(rangeProblem({ from: '2024-12-31', to: '2026-01-01' })).toMatch(/366/);
    expect(rangeProblem({ from: '2025-01-01', to: '2026-01-01' })).toBeNull();
    expect(rangeProblem({ from: '2025-01-01', to: '2025-12-31' })).toBeNull();
  });
});
