import type { StaffEvent } from '../../shared/channel/staff-events';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import type { ServerEvent } from '../events/event-bus';
import { ticketExists } from '../tickets/tickets.repo';

/** A technician opened, is typing on, or left a ticket: the employee's tray (and other consoles) hear it. */
export async function announcePresence(
  ctx: Pick<ServerContext, 'db' | 'bus'>,
  staff: StaffUser,
  ticketId: number,
  body: { present: boolean; typing: boolean },
): Promise<void> {
  if (!(await ticketExists(ctx.db.kysely, ticketId))) throw notFound('Ticket');
  ctx.bus.publish({
    kind: 'presence',
    ticketId,
    staff: body.present ? { id: staff.id, name: staff.name } : null,
    typing: body.present && body.typing,
  });
}

/** What of a server event the consoles are told; null for what is not theirs. */
export function toStaffEvent(event: ServerEvent): StaffEvent | null {
  switch (event.kind) {
    case 'ticket':
      return { type: 'ticket', ticketId: event.ticketId };
    case 'device-typing':
      return { type: 'device-typing', ticketId: event.ticketId };
    case 'marks':
      return { type: 'marks', ticketIds: event.ticketIds };
    case 'devices':
      return { type: 'devices', deviceIds: event.deviceIds };
    case 'presence':
      return { type: 'presence', ticketId: event.ticketId, staff: event.staff, typing: event.typing };
    case 'command':
      return { type: 'command', ticketId: event.ticketId, deviceId: event.deviceId, commandId: event.commandId };
    case 'remote':
      return { type: 'remote', ticketId: event.ticketId, deviceId: event.deviceId, sessionId: event.sessionId };
    case 'netmon':
      return { type: 'netmon', what: event.what };
    default:
      return null;
  }
}
