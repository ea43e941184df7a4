/*
 * When a device counts as online: seen (the live channel's arrival and last-seen batches, a heartbeat,
 * a ticket, a snapshot) within this window, and its live channel not closed since (an agent that
 * disconnects, or goes silent until the server closes its socket, is offline at once, not a window later).
 * Two last-seen batches and a margin, so one late batch does not flip it. Zod-free: the console reads it too.
 */
export const ONLINE_WINDOW_MS = 75_000;

/** The earliest last-seen instant that still counts as online at `now`. */
export function onlineSince(now: number): number {
  return now - ONLINE_WINDOW_MS + 1;
}

/** Online at `now`: seen within the window, and not gone (`leftAt`) since it was last seen. */
export function isOnline(lastSeenAt: number, leftAt: number | null, now: number): boolean {
  return lastSeenAt >= onlineSince(now) && (leftAt === null || leftAt < lastSeenAt);
}
