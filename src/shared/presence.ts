/*
 * When a device counts as online: seen (the live channel's last-seen batches every 30 s, a heartbeat,
 * a ticket, a snapshot) within this window. Two batches and a margin, so one late batch does not flip it.
 * Zod-free: the console reads it too.
 */
export const ONLINE_WINDOW_MS = 75_000;
