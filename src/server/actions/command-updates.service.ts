import { commandActionDefinition } from '../../shared/actions/catalog';
import { parseJsonObject } from '../db/json-columns';
import type { SignedCommand } from '../../shared/actions/command-signing';
import { commandStatusesBefore, type CommandStatus } from '../../shared/actions/command-status';
import type { CommandConsent, UpMessage } from '../../shared/channel/messages';
import { audit, type AuditEntry } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { insertMessage } from '../tickets/messages.repo';
import { recordTicketEvents } from '../tickets/ticket-events.repo';
import { updateTicketRow } from '../tickets/tickets.repo';
import { commandResultMessage } from './command-result-message';
import { announceCommand } from './commands.service';
import {
  appendCommandOutput,
  selectCommand,
  selectQueuedCommands,
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
 * The device's queued, unexpired commands, each marked delivered before it is handed over (the
 * conditional update means two processes never both send one), with the technician's reason (not
 * signed: the consent prompt shows it, nothing runs from it). Oldest first.
 */
export async function takeQueuedCommands(
  ctx: ServerContext,
  deviceId: string,
): Promise<Array<{ command: SignedCommand; reason: string }>> {
  const now = ctx.now();
  const queued = await selectQueuedCommands(ctx.db.kysely, deviceId, now);
  const taken: Array<{ command: SignedCommand; reason: string }> = [];
  for (const row of queued) {
    const moved = await transitionCommand(
      ctx.db.kysely,
      row.id,
      ['queued'],
      { status: 'delivered', updated_at: now },
      deviceId,
    );
    if (!moved) continue;
    taken.push({
      command: { envelope: JSON.parse(moved.envelope) as SignedCommand['envelope'], signature: moved.signature },
      reason: moved.reason,
    });
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
): Promise<false> {
  const row = await selectCommand(ctx.db.kysely, commandId);
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
  }
}

/** A device says its command waits for consent, runs (with whose consent), was denied, or was refused. */
export async function applyCommandUpdate(
  ctx: ServerContext,
  deviceId: string,
  update: UpMessage<'command.update'>,
): Promise<boolean> {
  const now = ctx.now();
  const consent = update.consent ? { ...update.consent, at: now } : undefined;
  const moved = await transitionCommand(
    ctx.db.kysely,
    update.commandId,
    commandStatusesBefore(update.status),
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
      commandStatusesBefore(status),
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
    if (moved.ticket_id === null) return { moved, messageId: null };
    const internal = moved.visibility === 'internal' ? 1 : 0;
    const messageId = await insertMessage(trx, {
      ticketId: moved.ticket_id,
      authorType: 'system',
      authorId: moved.id,
      authorName: RESULT_AUTHOR,
      body: commandResultMessage(action, current.requester_name, { ...result, output }),
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
    return { moved, messageId };
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
