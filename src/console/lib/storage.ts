/*
 * Per-browser memory of the console in localStorage, namespaced by staff id: when each ticket was
 * last opened (unread marks), saved queue views, reply drafts. Broken or foreign JSON is ignored.
 */

const PREFIX = 'deskside.console';

/** Reads a JSON value; `fallback` when missing or unreadable. */
export function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = window.localStorage.getItem(`${PREFIX}.${key}`);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/** Writes a JSON value; a full or disabled storage is not an error worth showing. */
export function writeJson(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(`${PREFIX}.${key}`, JSON.stringify(value));
  } catch {
    // Quota or privacy mode: the console works without remembering.
  }
}

/** Removes a stored value. */
export function removeKey(key: string): void {
  try {
    window.localStorage.removeItem(`${PREFIX}.${key}`);
  } catch {
    // as above
  }
}

const MAX_SEEN = 3000;
type SeenMap = Record<string, number>;

/** When this technician last opened each ticket (ms), for unread marks. */
export function readSeen(staffId: number): SeenMap {
  const value = readJson<unknown>(`seen.${staffId}`, {});
  return value && typeof value === 'object' ? (value as SeenMap) : {};
}

/** Records that the ticket was opened now; keeps the newest entries only. */
export function markSeen(staffId: number, ticketId: number, at = Date.now()): void {
  const seen = readSeen(staffId);
  seen[String(ticketId)] = at;
  const entries = Object.entries(seen);
  const kept =
    entries.length > MAX_SEEN ? Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEN)) : seen;
  writeJson(`seen.${staffId}`, kept);
}

/** Unread: a message arrived after the technician last opened it (or they never did). */
export function isUnread(seen: SeenMap, ticket: { id: number; lastMessageAt: string }): boolean {
  const at = seen[String(ticket.id)];
  return at === undefined || Date.parse(ticket.lastMessageAt) > at;
}
