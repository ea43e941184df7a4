import type { LightMyRequestResponse } from 'fastify';
import type { CommandDto, RequestCommandBody } from '../../src/shared/api/commands';
import type { StaffSession, TestServer } from './harness';

/** What a technician asks for unless a test says otherwise: a ping of the loopback address. */
export const PING: RequestCommandBody = {
  action: 'net.ping',
  params: { host: '127.0.0.1', count: 2 },
  reason: 'Checking the network stack',
};

/** POSTs a command request on a ticket as a staff member (or with the given headers). */
export function requestCommand(
  s: TestServer,
  ticketId: number,
  body: Partial<RequestCommandBody> & Record<string, unknown> = {},
  headers: Record<string, string> = s.tech.headers,
): Promise<LightMyRequestResponse> {
  return s.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/commands`,
    headers,
    payload: { ...PING, ...body },
  });
}

/** Requests a command and returns it, failing loudly if it was refused. */
export async function queueCommand(
  s: TestServer,
  ticketId: number,
  body: Partial<RequestCommandBody> = {},
  who: StaffSession = s.tech,
): Promise<CommandDto> {
  const res = await requestCommand(s, ticketId, body, who.headers);
  if (res.statusCode !== 201) throw new Error(`command refused: ${res.statusCode} ${res.body}`);
  return res.json<CommandDto>();
}

/** A command's row as stored. */
export function commandRow(s: TestServer, id: string) {
  return s.db.kysely.selectFrom('device_commands').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The audit actions recorded for a command, oldest first. */
export async function commandAudit(s: TestServer, id: string): Promise<string[]> {
  const rows = await s.db.kysely
    .selectFrom('audit_log')
    .select(['action'])
    .where('target_type', '=', 'command')
    .where('target_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}
