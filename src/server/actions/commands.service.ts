import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { commandActionDefinition, parseActionParams, type ParsedAction } from '../../shared/actions/catalog';
import { isScriptActionName } from '../../shared/actions/script-info';
import { signCommand, type CommandEnvelope } from '../../shared/actions/command-signing';
import { COMMAND_REQUESTS_PER_MINUTE } from '../../shared/actions/command-status';
import type { CommandDto, commandListQuerySchema, requestCommandSchema } from '../../shared/api/commands';
import { audit } from '../audit/audit.service';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import { deviceExists } from '../devices/devices.repo';
import { ApiError, conflict, notFound, unprocessable } from '../errors';
import { ed25519Signer } from './command-crypto';
import { toCommandDto } from './command-dto';
import { commandKeyPair } from './command-keys.service';
import { sha256 } from './it-actions.service';
import { prepareScriptCommand, refuseServerResolved, resolveAllowListParams } from './it-command-params';
import {
  countCommandsRequestedSince,
  firstCommandRequestedSince,
  insertCommand,
  selectCommand,
  selectCommandsOfDevice,
  selectCommandsOfTicket,
  selectTicketDevice,
  transitionCommand,
} from './commands.repo';

/*
 * Technicians' side of remote actions: request (validate against the catalog, check the device, rate
 * limit, sign, store, audit, announce), list, cancel. The live channel's side (delivery, updates,
 * results) is command-updates.service.ts.
 */

type RequestBody = z.output<typeof requestCommandSchema>;
type ListQuery = z.output<typeof commandListQuerySchema>;

const RATE_WINDOW_MS = 60_000;

/**
 * Announces a command's change to every process: consoles re-read it, and for a new one (`queued`) the
 * process holding the device's live connection sends it.
 */
export function announceCommand(
  ctx: Pick<ServerContext, 'bus'>,
  row: { id: string; device_id: string; ticket_id: number | null; status: string },
): void {
  ctx.bus.publish({
    kind: 'command',
    commandId: row.id,
    deviceId: row.device_id,
    ticketId: row.ticket_id,
    ...(row.status === 'queued' ? { queued: true as const } : {}),
  });
}

/** Refuses a technician over COMMAND_REQUESTS_PER_MINUTE (counted in the database: every process agrees). */
async function checkRate(ctx: ServerContext, staffId: number, now: number): Promise<void> {
  const since = now - RATE_WINDOW_MS;
  const count = await countCommandsRequestedSince(ctx.db.kysely, staffId, since);
  if (count < COMMAND_REQUESTS_PER_MINUTE) return;
  const first = (await firstCommandRequestedSince(ctx.db.kysely, staffId, since)) ?? now;
  const retry = Math.max(1, Math.ceil((first + RATE_WINDOW_MS - now) / 1000));
  throw new ApiError(
    429,
    'too_many_commands',
    `At most ${COMMAND_REQUESTS_PER_MINUTE} commands a minute; try again in ${retry} s`,
    undefined,
    { 'retry-after': String(retry) },
  );
}

/** Validates, signs and queues a catalog action for the ticket's device. */
export async function requestCommand(
  ctx: ServerContext,
  staff: StaffUser,
  ticketId: number,
  body: RequestBody,
  ip: string | null,
): Promise<CommandDto> {
  // An IT script (`script.<slug>`) is looked up once the device's OS is known; a built-in action is checked now.
  const script = isScriptActionName(body.action);
  let parsed: ParsedAction | null = null;
  if (!script) {
    const checked = parseActionParams(body.action, body.params);
    if (!checked.ok)
      throw unprocessable(
        checked.error.code === 'unknown-action' ? 'unknown_action' : 'bad_params',
        checked.error.message,
      );
    refuseServerResolved(checked.value.name, body.params);
    parsed = checked.value;
  }
  const target = await selectTicketDevice(ctx.db.kysely, ticketId);
  if (!target) throw notFound('Ticket', 'ticket_not_found');
  if (target.status === 'closed')
    throw conflict('ticket_closed', 'This ticket is closed; reopen it or file a new ticket to act on its device');
  if (target.device_id === null || target.os_platform === null)
    throw conflict('ticket_has_no_device', 'This ticket has no device to run an action on');
  if (target.token_revoked_at !== null)
    throw conflict('device_revoked', "The ticket's device was revoked; it can run nothing until it enrolls again");
  const action = commandActionDefinition(body.action, parsed?.params) ?? null;
  if (action && !(action.platforms as readonly string[]).includes(target.os_platform))
    throw unprocessable(
      'unsupported_platform',
      `${action.title} is not available on ${target.os_platform} (only ${action.platforms.join(', ')})`,
    );
  // The allow-list's name for the device's OS, or the script's text, goes into what is signed.
  const resolved = parsed
    ? await resolveAllowListParams(ctx, parsed, target.os_platform)
    : await prepareScriptCommand(ctx, body.action, body.params, target.os_platform);
  const now = ctx.now();
  await checkRate(ctx, staff.id, now);

  const envelope: CommandEnvelope = {
    id: randomUUID(),
    deviceId: target.device_id,
    action: resolved.name,
    params: resolved.params as Record<string, unknown>,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + body.expiresInMinutes * 60_000).toISOString(),
    nonce: randomBytes(24).toString('base64url'),
    requestedBy: { id: staff.id, name: staff.name },
    // Signed with the rest: the consent prompt shows it, so a proxy must not be able to change it.
    reason: body.reason,
    ticketId,
  };
  const signed = signCommand(envelope, (await commandKeyPair(ctx)).privateKeyPem, ed25519Signer);
  await insertCommand(ctx.db.kysely, {
    id: envelope.id,
    device_id: envelope.deviceId,
    ticket_id: ticketId,
    action: envelope.action,
    params: JSON.stringify(envelope.params),
    reason: body.reason,
    visibility: body.visibility,
    requested_by: staff.id,
    envelope: JSON.stringify(signed.envelope),
    signature: signed.signature,
    issued_at: now,
    expires_at: Date.parse(envelope.expiresAt),
    status: 'queued',
    consent: null,
    exit_code: null,
    duration_ms: null,
    output: null,
    result: null,
    error: null,
    updated_at: now,
  });
  await audit(ctx, {
    actorType: 'staff',
    actorId: staff.id,
    action: 'command.requested',
    targetType: 'command',
    targetId: envelope.id,
    details: {
      deviceId: envelope.deviceId,
      ticketId,
      action: envelope.action,
      params: envelope.params,
      ...(script ? { scriptSha256: sha256((resolved.params as { script: { body: string } }).script.body) } : {}),
      reason: body.reason,
      visibility: body.visibility,
      expiresAt: envelope.expiresAt,
    },
    ip,
  });
  const row = (await selectCommand(ctx.db.kysely, envelope.id))!;
  announceCommand(ctx, row);
  return toCommandDto(row);
}

/** A ticket's commands, newest first. */
export async function listTicketCommands(
  ctx: ServerContext,
  ticketId: number,
  query: ListQuery,
): Promise<{ commands: CommandDto[] }> {
  if (!(await selectTicketDevice(ctx.db.kysely, ticketId))) throw notFound('Ticket', 'ticket_not_found');
  return { commands: (await selectCommandsOfTicket(ctx.db.kysely, ticketId, query.limit)).map(toCommandDto) };
}

/** A device's commands, newest first. */
export async function listDeviceCommands(
  ctx: ServerContext,
  deviceId: string,
  query: ListQuery,
): Promise<{ commands: CommandDto[] }> {
  if (!(await deviceExists(ctx.db.kysely, deviceId))) throw notFound('Device', 'device_not_found');
  return { commands: (await selectCommandsOfDevice(ctx.db.kysely, deviceId, query.limit)).map(toCommandDto) };
}

/** Cancels a command the device has not taken yet. */
export async function cancelCommand(
  ctx: ServerContext,
  staff: StaffUser,
  id: string,
  ip: string | null,
): Promise<CommandDto> {
  const now = ctx.now();
  const moved = await transitionCommand(ctx.db.kysely, id, ['queued'], { status: 'cancelled', updated_at: now });
  if (!moved) {
    const row = await selectCommand(ctx.db.kysely, id);
    if (!row) throw notFound('Command', 'command_not_found');
    throw conflict(
      'command_not_queued',
      `Only a command still waiting for the device can be cancelled; this one is ${row.status}`,
    );
  }
  await audit(ctx, {
    actorType: 'staff',
    actorId: staff.id,
    action: 'command.cancelled',
    targetType: 'command',
    targetId: id,
    details: { deviceId: moved.device_id, ticketId: moved.ticket_id, action: moved.action },
    ip,
  });
  announceCommand(ctx, moved);
  return toCommandDto((await selectCommand(ctx.db.kysely, id))!);
}
