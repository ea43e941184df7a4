import type { DeviceTicketDto, TicketDto } from '../../shared/api/tickets';
import type { ServerContext } from '../context';
import { ticketNotFound, toDeviceTicketDto, toTicketDto } from './ticket-dto';
import { findDeviceTicketRow, findTicketRow, listDeviceTicketRows } from './tickets.repo';

/*
 * Reading tickets: a device's own (its tray's list and one ticket), and any ticket as staff see it.
 * Changes are in ticket-create, ticket-lifecycle (the device's) and ticket-update (staff's).
 */

/** A tray shows recent tickets; older ones stay in the help desk. */
const DEVICE_TICKET_LIMIT = 200;

/** The device's newest tickets, newest first. */
export async function listDeviceTickets(ctx: ServerContext, deviceId: string): Promise<{ tickets: DeviceTicketDto[] }> {
  const rows = await listDeviceTicketRows(ctx.db.kysely, deviceId, DEVICE_TICKET_LIMIT);
  return { tickets: rows.map(toDeviceTicketDto) };
}

/** One of the device's own tickets; 404 ticket_not_found for any other. */
export async function getDeviceTicket(
  ctx: ServerContext,
  deviceId: string,
  ticketId: number,
): Promise<DeviceTicketDto> {
  const row = await findDeviceTicketRow(ctx.db.kysely, deviceId, ticketId);
  if (!row) throw ticketNotFound();
  return toDeviceTicketDto(row);
}

/** A ticket as staff see it; 404 ticket_not_found when there is none. */
export async function getTicket(ctx: ServerContext, id: number): Promise<TicketDto> {
  const row = await findTicketRow(ctx.db, id);
  if (!row) throw ticketNotFound();
  return toTicketDto(row);
}
