/*
 * What the technicians' consoles hear live (GET staffEvents, a server-sent event stream): zod-free, as the
 * console's bundle is. Each event is one `data:` line of JSON. The console refreshes what an event names
 * (a ticket's thread and the queue, a thread's delivered and read marks, devices' online state) and shows
 * who is typing.
 */
export type StaffEvent =
  /** A message was posted on the ticket or its status changed. */
  | { type: 'ticket'; ticketId: number }
  /** The employee is typing a reply on the ticket (their tray agent said so on the live channel). */
  | { type: 'device-typing'; ticketId: number }
  /** Delivered or read marks changed on these tickets' messages. */
  | { type: 'marks'; ticketIds: number[] }
  /** These devices came online or went offline (null: many did); the console re-reads what shows them. */
  | { type: 'devices'; deviceIds: string[] | null }
  /** A technician opened, is typing on, or left the ticket (staff null: nobody). */
  | { type: 'presence'; ticketId: number; staff: { id: number; name: string } | null; typing: boolean }
  /** A remote command was requested, moved or ended (ticketId null: requested from the device page). */
  | { type: 'command'; ticketId: number | null; deviceId: string; commandId: string }
  /** A remote session was requested, moved or ended. */
  | { type: 'remote'; ticketId: number | null; deviceId: string; sessionId: string }
  /** Network monitoring: the fleet grid's health, the server-side checks, or IT's plan and sites changed. */
  | { type: 'netmon'; what: 'config' | 'fleet' | 'checks' };

/**
 * How long a technician's presence on a ticket lasts without being renewed: the console renews it every
 * PRESENCE_RENEW_MS while the ticket is open, so a closed browser tab stops counting within this.
 */
export const PRESENCE_TTL_MS = 45_000;
export const PRESENCE_RENEW_MS = 20_000;
/** How long "is typing" shows after the last typing signal; the typing side signals at most this often / 2. */
export const TYPING_TTL_MS = 6_000;

/** Reads one event from the stream; null for anything that is not one (the console ignores it). */
export function parseStaffEvent(data: string): StaffEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  const id = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  switch (e.type) {
    case 'ticket':
    case 'device-typing':
      return id(e.ticketId) ? { type: e.type, ticketId: e.ticketId } : null;
    case 'marks':
      return Array.isArray(e.ticketIds) && e.ticketIds.every(id) ? { type: 'marks', ticketIds: e.ticketIds } : null;
    case 'devices':
      if (e.deviceIds === null) return { type: 'devices', deviceIds: null };
      return Array.isArray(e.deviceIds) && e.deviceIds.every((d) => typeof d === 'string' && d.length > 0)
        ? { type: 'devices', deviceIds: e.deviceIds as string[] }
        : null;
    case 'command':
      return (e.ticketId === null || id(e.ticketId)) &&
        typeof e.deviceId === 'string' &&
        e.deviceId.length > 0 &&
        typeof e.commandId === 'string' &&
        e.commandId.length > 0
        ? { type: 'command', ticketId: e.ticketId, deviceId: e.deviceId, commandId: e.commandId }
        : null;
    case 'remote':
      return (e.ticketId === null || id(e.ticketId)) &&
        typeof e.deviceId === 'string' &&
        e.deviceId.length > 0 &&
        typeof e.sessionId === 'string' &&
        e.sessionId.length > 0
        ? { type: 'remote', ticketId: e.ticketId, deviceId: e.deviceId, sessionId: e.sessionId }
        : null;
    case 'netmon':
      return e.what === 'config' || e.what === 'fleet' || e.what === 'checks' ? { type: 'netmon', what: e.what } : null;
    case 'presence': {
      const staff = e.staff as { id?: unknown; name?: unknown } | null;
      if (!id(e.ticketId) || typeof e.typing !== 'boolean') return null;
      if (staff !== null && !(id(staff?.id) && typeof staff?.name === 'string')) return null;
      return {
        type: 'presence',
        ticketId: e.ticketId,
        staff: staff === null ? null : { id: staff.id as number, name: staff.name as string },
        typing: e.typing,
      };
    }
    default:
      return null;
  }
}
