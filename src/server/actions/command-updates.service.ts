import type { Transaction } from 'kysely';
import { commandActionDefinition } from '../../shared/actions/catalog';
import { parseJsonObject } from '../db/json-columns';
import type { SignedCommand } from '../../shared/actions/command-signing';
import {
  COMMAND_NO_ANSWER_REASON,
  commandStatusesBefore,
  isFinalCommandStatus,
  type CommandStatus,
} from '../../shared/actions/command-status';
import type { CommandConsent, UpMessage } from '../../shared/channel/messages';
import { audit, type AuditEntry } from '../audit/audit.service';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { insertMessage } from '../tickets/messages.repo';
import { recordTicketEvents } from '../tickets/ticket-events.repo';
import { updateTicketRow } from '../tickets/tickets.repo';
import { commandEndedMessage, commandResultMessage } from './command-result-message';
import { announceCommand } from './commands.service';
import {
  appendCommandOutput,
  selectCommand,
  selectCommandsToSend,
  transitionCommand,
  type CommandRow,
} from './commands.repo';

/*
 * The live channel's side of remote commands: what a device is sent, and what it says back. A device
 * moves only its own commands and only forward (src/shared/actions/command-status.ts); anything else is
 * ignored and audited as refused. Every move is audited and announced (consoles hear a `command` event;
 * a result also posts on the ticket, which the agent's thread hears as the usual ticket event).
 */

/** Who posts a result on the ticket. */
const RESULT_AUTHOR = 'Deskside';

const systemEntry = (row: Pick<CommandRow, 'id' | 'device_id' | 'ticket_id' | 'action'>) => ({
  actorType: 'system' as const,
  actorId: null,
  targetType: 'command',
  targetId: row.id,
});

/**
 * What the device is to be sent: its queued, unexpired commands, each marked delivered before it is
 * handed over (the conditional update means two processes never both take one), and with `resend` (the
 * device's new connection said hello) also those delivered earlier that it never answered: the frame may
 * have died with the socket. The agent runs a command once however often it gets it (its nonce store)
 * and answers a repeat, so delivery is at least once and running exactly once. Oldest first.
 */
export async function commandsToSend(
  ctx: ServerContext,
  deviceId: string,
  options: { resend: boolean },
): Promise<SignedCommand[]> {
  const now = ctx.now();
  const rows = await selectCommandsToSend(
    ctx.db.kysely,
    deviceId,
    now,
    options.resend ? ['queued', 'delivered'] : ['queued'],
  );
  const taken: SignedCommand[] = [];
  for (const row of rows) {
    const signed = (r: CommandRow): SignedCommand => ({
      envelope: JSON.parse(r.envelope) as SignedCommand['envelope'],
      signature: r.signature,
    });
    if (row.status === 'delivered') {
      taken.push(signed(row));
      await audit(ctx, {
        ...systemEntry(row),
        action: 'command.redelivered',
        details: { deviceId, ticketId: row.ticket_id, action: row.action },
      });
      continue;
    }
    const moved = await transitionCommand(
      ctx.db.kysely,
      row.id,
      ['queued'],
      { status: 'delivered', updated_at: now },
      deviceId,
    );
    if (!moved) continue;
    taken.push(signed(moved));
    await audit(ctx, {
      ...systemEntry(moved),
      action: 'command.delivered',
      details: { deviceId, ticketId: moved.ticket_id, action: moved.action },
    });
    announceCommand(ctx, moved);
  }
  return taken;
}

/** Records a device's update, or audits why it was refused; answers whether it was applied. */
async function refuseUpdate(
  ctx: ServerContext,
  deviceId: string,
  commandId: string,
  what: string,
  wanted: CommandStatus | 'output',
): Promise<boolean> {
  const row = await selectCommand(ctx.db.kysely, commandId);
  // The same final answer again (the agent answers a command sent again, and resends what it could not
  // send): already recorded, nothing to refuse.
  if (
    row &&
    row.device_id === deviceId &&
    wanted !== 'output' &&
    row.status === wanted &&
    isFinalCommandStatus(wanted)
  ) {
    ctx.log.debug({ deviceId, commandId, status: wanted }, 'channel: a command answer heard again');
    return true;
  }
  const why = !row
    ? 'no such command'
    : row.device_id !== deviceId
      ? "another device's command"
      : `the command is ${row.status}`;
  ctx.log.warn({ deviceId, commandId, wanted, why }, 'channel: refused a command update');
  await audit(ctx, {
    actorType: 'system',
    actorId: null,
    action: 'command.update_refused',
    targetType: 'command',
    targetId: commandId,
    details: { deviceId, frame: what, wanted, reason: why },
  });
  return false;
}

/** The audit action of a device's update. */
function updateAuditAction(status: UpMessage<'command.update'>['status'], consent?: CommandConsent): string {
  switch (status) {
    case 'awaiting-consent':
      return 'command.awaiting_consent';
    case 'running':
      return consent?.by === 'employee' ? 'command.consent_given' : 'command.unattended';
    case 'denied':
      return 'command.consent_denied';
    case 'refused':
      return 'command.refused';
    case 'expired':
      return 'command.expired';
  }
}

/** The statuses a device may move its command to `to` from: never a queued one (it was not sent yet). */
const deviceMovesFrom = (to: CommandStatus) => commandStatusesBefore(to).filter((from) => from !== 'queued');

/**
 * Posts what became of a command on its ticket (in the transaction that moved it) as an internal note or
 * a message the employee sees, per the request's visibility; answers the message id, null without a ticket.
 */
async function postOnTicket(trx: Transaction<Database>, moved: CommandRow, body: string, now: number) {
  if (moved.ticket_id === null) return null;
  const internal = moved.visibility === 'internal' ? 1 : 0;
  const messageId = await insertMessage(trx, {
    ticketId: moved.ticket_id,
    authorType: 'system',
    authorId: moved.id,
    authorName: RESULT_AUTHOR,
    body,
    internal,
    at: now,
  });
  if (!internal) await updateTicketRow(trx, moved.ticket_id, { updated_at: now, last_message_at: now });
  await recordTicketEvents(trx, [
    {
      ticketId: moved.ticket_id,
      type: 'message_posted',
      actorType: 'system',
      actorId: null,
      at: now,
      data: { messageId, internal: internal === 1, commandId: moved.id },
    },
  ]);
  return messageId;
}

/**
 * Ends a command that will bring no result (its consent prompt had no answer: expired; it ran and never
 * reported: failed), if it is still in one of `from`: stored with the reason, posted on the ticket,
 * audited and announced. Answers the moved row, or undefined when something else moved it first.
 */
export async function endWithoutResult(
  ctx: Pick<ServerContext, 'db' | 'now' | 'bus'>,
  id: string,
  from: readonly CommandStatus[],
  to: 'expired' | 'failed',
  reason: string,
  details: Record<string, unknown> = {},
  deviceId?: string,
): Promise<CommandRow | undefined> {
  const now = ctx.now();
  const current = await selectCommand(ctx.db.kysely, id);
  if (!current) return undefined;
  const title = commandActionDefinition(current.action, parseJsonObject(current.params))?.title ?? current.action;
  const ended = await ctx.db.kysely.transaction().execute(async (trx) => {
    const moved = await transitionCommand(trx, id, from, { status: to, updated_at: now, error: reason }, deviceId);
    if (!moved) return null;
    const body = commandEndedMessage({ title }, current.requester_name, to, reason);
    return { moved, messageId: await postOnTicket(trx, moved, body, now) };
  });
  if (!ended) return undefined;
  const { moved, messageId } = ended;
  await audit(ctx, {
    ...systemEntry(moved),
    action: `command.${to}`,
    details: {
      deviceId: moved.device_id,
      ticketId: moved.ticket_id,
      action: moved.action,
      reason,
      expiresAt: new Date(moved.expires_at).toISOString(),
      messageId,
      ...details,
    },
  });
  if (moved.ticket_id !== null) ctx.bus.notify(moved.ticket_id);
  announceCommand(ctx, moved);
  return moved;
}

/** A device says its command waits for consent, runs (with whose consent), was denied, or was refused. */
export async function applyCommandUpdate(
  ctx: ServerContext,
  deviceId: string,
  update: UpMessage<'command.update'>,
): Promise<boolean> {
  if (update.status === 'expired') {
    // The consent prompt had no answer before the expiry: nobody decided, the agent ran nothing.
    const moved = await endWithoutResult(
      ctx,
      update.commandId,
      deviceMovesFrom('expired'),
      'expired',
      update.reason ?? COMMAND_NO_ANSWER_REASON,
      { reportedBy: 'device' },
      deviceId,
    );
    return moved ? true : refuseUpdate(ctx, deviceId, update.commandId, 'command.update', update.status);
  }
  const now = ctx.now();
  const consent = update.consent ? { ...update.consent, at: now } : undefined;
  const moved = await transitionCommand(
    ctx.db.kysely,
    update.commandId,
    deviceMovesFrom(update.status),
    {
      status: update.status,
      updated_at: now,
      ...(consent ? { consent: JSON.stringify(consent) } : {}),
      ...(update.reason !== undefined ? { error: update.reason } : {}),
    },
    deviceId,
  );
  if (!moved) return refuseUpdate(ctx, deviceId, update.commandId, 'command.update', update.status);
  const entry: AuditEntry = {
    ...systemEntry(moved),
    action: updateAuditAction(update.status, update.consent),
    details: {
      deviceId,
      ticketId: moved.ticket_id,
      action: moved.action,
      ...(update.consent ? { consent: update.consent } : {}),
      ...(update.reason !== undefined ? { reason: update.reason } : {}),
    },
  };
  await audit(ctx, entry);
  announceCommand(ctx, moved);
  return true;
}

/** Output so far of a running command, kept up to the action's cap (the console shows progress). */
export async function appendOutput(
  ctx: ServerContext,
  deviceId: string,
  message: UpMessage<'command.output'>,
): Promise<boolean> {
  const row = await selectCommand(ctx.db.kysely, message.commandId);
  const cap = row ? (commandActionDefinition(row.action, parseJsonObject(row.params))?.outputCapBytes ?? 0) : 0;
  const moved =
    row && cap > 0
      ? await appendCommandOutput(ctx.db.kysely, message.commandId, deviceId, message.chunk, cap, ctx.now())
      : undefined;
  if (!moved) return refuseUpdate(ctx, deviceId, message.commandId, 'command.output', 'output');
  announceCommand(ctx, moved);
  return true;
}

/** `text` cut to at most `bytes` of UTF-8, never inside a character. */
export function capUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  // Dropping the partial character at the cut: the decoder turns it into U+FFFD, which is then removed.
  return buffer
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

/**
 * A command ended: the result is stored (output capped by the action's outputCapBytes) and posted on
 * the ticket as an internal note or a message the employee sees, per the request's visibility.
 */
export async function applyCommandResult(
  ctx: ServerContext,
  deviceId: string,
  result: UpMessage<'command.result'>,
): Promise<boolean> {
  const now = ctx.now();
  const status = result.ok ? 'succeeded' : 'failed';
  const current = await selectCommand(ctx.db.kysely, result.commandId);
  const action = current ? commandActionDefinition(current.action, parseJsonObject(current.params)) : undefined;
  if (!current || !action) return refuseUpdate(ctx, deviceId, result.commandId, 'command.result', status);
  const output = capUtf8(result.output, action.outputCapBytes);
  const posted = await ctx.db.kysely.transaction().execute(async (trx) => {
    const moved = await transitionCommand(
      trx,
      result.commandId,
      deviceMovesFrom(status),
      {
        status,
        updated_at: now,
        exit_code: result.exitCode,
        duration_ms: result.durationMs,
        output,
        result: JSON.stringify(result.fields),
        error: result.error,
      },
      deviceId,
    );
    if (!moved) return null;
    const body = commandResultMessage(action, current.requester_name, { ...result, output });
    return { moved, messageId: await postOnTicket(trx, moved, body, now) };
  });
  if (!posted) return refuseUpdate(ctx, deviceId, result.commandId, 'command.result', status);
  const { moved, messageId } = posted;
  await audit(ctx, {
    ...systemEntry(moved),
    action: `command.${status}`,
    details: {
      deviceId,
      ticketId: moved.ticket_id,
      action: moved.action,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      outputBytes: Buffer.byteLength(output),
      error: result.error,
      messageId,
    },
  });
  if (moved.ticket_id !== null) ctx.bus.notify(moved.ticket_id);
  announceCommand(ctx, moved);
  return true;
}
