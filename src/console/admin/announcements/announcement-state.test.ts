import { describe, expect, it } from 'vitest';
import { announcementState } from './announcement-state';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const at = (h: number) => new Date(NOW + h * 3_600_000).toISOString();

describe('announcementState', () => {
  it('tells drafts, scheduled, live and expired announcements apart', () => {
    expect(announcementState({ status: 'draft', startsAt: at(-1), expiresAt: null }, NOW)).toBe('draft');
    expect(announcementState({ status: 'published', startsAt: at(1), expiresAt: at(2) }, NOW)).toBe('scheduled');
    expect(announcementState({ status: 'published', startsAt: at(-1), expiresAt: null }, NOW)).toBe('live');
    expect(announcementState({ status: 'published', startsAt: at(-1), expiresAt: at(1) }, NOW)).toBe('live');
    expect(announcementState({ status: 'published', startsAt: at(-2), expiresAt: at(-1) }, NOW)).toBe('expired');
  });

  it('treats the expiry instant as already over and the start instant as live, as the server does', () => {
    expect(announcementState({ status: 'published', startsAt: at(-1), expiresAt: at(0) }, NOW)).toBe('expired');
    expect(announcementState({ status: 'published', startsAt: at(0), expiresAt: null }, NOW)).toBe('live');
  });
});
