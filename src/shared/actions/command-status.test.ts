import { describe, expect, it } from 'vitest';
import { COMMAND_STATUSES, COMMAND_TRANSITIONS, commandStatusesBefore, isFinalCommandStatus } from './command-status';

describe('command statuses', () => {
  it('never goes back: no status is reachable from one it leads to', () => {
    const reachable = (from: string, seen = new Set<string>()): Set<string> => {
      for (const to of COMMAND_TRANSITIONS[from as keyof typeof COMMAND_TRANSITIONS]) {
        if (seen.has(to)) continue;
        seen.add(to);
        reachable(to, seen);
      }
      return seen;
    };
    for (const status of COMMAND_STATUSES) expect(reachable(status).has(status), status).toBe(false);
  });

  it('ends in the final statuses only, and a result comes only from a live command', () => {
    expect(COMMAND_STATUSES.filter(isFinalCommandStatus)).toEqual([
      'succeeded',
      'failed',
      'denied',
      'refused',
      'expired',
      'cancelled',
    ]);
    expect(commandStatusesBefore('succeeded')).toEqual(['delivered', 'awaiting-consent', 'running']);
    expect(commandStatusesBefore('cancelled')).toEqual(['queued']);
    // An unanswered consent prompt expires too (never denied: nobody decided).
    expect(commandStatusesBefore('expired')).toEqual(['queued', 'delivered', 'awaiting-consent']);
  });
});
