import type { AnnouncementDto } from '../../../shared/api/articles';

/** Where an announcement stands for agents right now. */
export type AnnouncementState = 'live' | 'scheduled' | 'expired' | 'draft';

/** Drafts are never shown; published ones are live between start and expiry. */
export function announcementState(
  a: Pick<AnnouncementDto, 'status' | 'startsAt' | 'expiresAt'>,
  now: number,
): AnnouncementState {
  if (a.status !== 'published') return 'draft';
  if (a.expiresAt !== null && Date.parse(a.expiresAt) <= now) return 'expired';
  if (Date.parse(a.startsAt) > now) return 'scheduled';
  return 'live';
}

/** Order in the list: what agents show now first, then what comes, then drafts, then the past. */
export const STATE_ORDER: Record<AnnouncementState, number> = { live: 0, scheduled: 1, draft: 2, expired: 3 };

/** Badge text and class per state. */
export const STATE_BADGE: Record<AnnouncementState, { label: string; className: string }> = {
  live: { label: 'Live now', className: 'badge-ok' },
  scheduled: { label: 'Scheduled', className: 'badge-info' },
  draft: { label: 'Draft', className: '' },
  expired: { label: 'Expired', className: 'badge-warning' },
};
