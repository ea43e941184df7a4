import type { z } from 'zod';
import { actionByName, parseActionParams } from '../../shared/actions/catalog';
import { FINDING_FIXES, isSelfServiceAction, SELF_SERVICE_FIXES } from '../../shared/actions/self-service';
import type {
  LocalActionDto,
  localActionListQuerySchema,
  localActionSourceSchema,
  recordLocalActionSchema,
} from '../../shared/api/local-actions';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { parseJsonObject } from '../db/json-columns';
import { deviceExists } from '../devices/devices.repo';
import { ApiError, notFound, unprocessable } from '../errors';
import { capUtf8 } from './command-updates.service';
import {
  insertLocalAction,
  selectLocalAction,
  selectLocalActionsOfDevice,
  type LocalActionRow,
} from './local-actions.repo';

/*
 * Fix-it runs (issue 12): the device records each self-service action its employee ran (only those the
 * self-service table allows, with exactly its parameters, from a finding that offers it or an article);
 * stored once per run id, audited, announced so the device page's command list shows it at once.
 */

type RecordBody = z.output<typeof recordLocalActionSchema>;
type Source = z.output<typeof localActionSourceSchema>;
type ListQuery = z.output<typeof localActionListQuerySchema>;

const iso = (ms: number) => new Date(ms).toISOString();

function sourceOf(text: string): Source {
  const value = parseJsonObject(text);
  return value.kind === 'article'
    ? { kind: 'article', articleId: Number(value.articleId) }
    : ({ kind: 'finding', code: value.code } as Source);
}

/** A row as the API answers it. */
export function toLocalActionDto(row: LocalActionRow): LocalActionDto {
  return {
    id: row.id,
    deviceId: row.device_id,
    action: row.action,
    title: actionByName(row.action)?.title ?? row.action,
    params: parseJsonObject(row.params),
    source: sourceOf(row.source),
    ok: row.ok === 1,
    exitCode: row.exit_code === null ? null : Number(row.exit_code),
    durationMs: Number(row.duration_ms),
    fields: parseJsonObject(row.fields),
    output: row.output,
    outputTruncated: row.output_truncated === 1,
    error: row.error,
    startedAt: iso(Number(row.started_at)),
    receivedAt: iso(Number(row.received_at)),
  };
}

/**
 * Refuses a run the self-service table does not allow (another action, other parameters, an unbound
 * finding); answers its parameters with the catalog's defaults applied.
 */
function checkRun(body: RecordBody): Record<string, unknown> {
  if (!isSelfServiceAction(body.action))
    throw unprocessable(
      'not_self_service',
      `${JSON.stringify(body.action.slice(0, 64))} is not an action employees may run themselves`,
    );
  const parsed = parseActionParams(body.action, body.params);
  const fixed = SELF_SERVICE_FIXES[body.action].params;
  if (!parsed.ok || JSON.stringify(parsed.value.params) !== JSON.stringify(fixed))
    throw unprocessable(
      'bad_params',
      `params: a Fix-it run of ${body.action} runs with ${JSON.stringify(fixed)}, not ${JSON.stringify(body.params)}`,
    );
  if (body.source.kind === 'finding' && FINDING_FIXES[body.source.code] !== body.action)
    throw unprocessable('not_bound', `The finding ${body.source.code} offers no Fix-it button for ${body.action}`);
  return parsed.value.params as Record<string, unknown>;
}

/** Stores a device's Fix-it run (once per id), audits it and announces it to the consoles. */
export async function recordLocalAction(
  ctx: ServerContext,
  deviceId: string,
  body: RecordBody,
  ip: string | null,
): Promise<{ status: 200 | 201; run: LocalActionDto }> {
  const params = checkRun(body);
  const existing = await selectLocalAction(ctx.db.kysely, body.id);
  if (existing) {
    // A uuid is the device's own: another device sending it is not a retry.
    if (existing.device_id !== deviceId)
      throw new ApiError(409, 'run_id_taken', 'This run id belongs to another device');
    return { status: 200, run: toLocalActionDto(existing) };
  }
  const action = actionByName(body.action)!;
  const now = ctx.now();
  const output = capUtf8(body.output, action.outputCapBytes);
  const inserted = await insertLocalAction(ctx.db.kysely, {
    id: body.id,
    device_id: deviceId,
    action: body.action,
    params: JSON.stringify(params),
    source: JSON.stringify(body.source),
    ok: body.ok ? 1 : 0,
    exit_code: body.exitCode,
    duration_ms: body.durationMs,
    fields: JSON.stringify(body.fields),
    output,
    output_truncated: body.outputTruncated || output.length < body.output.length ? 1 : 0,
    error: body.error ? `${body.error.code}: ${body.error.message}` : null,
    started_at: Date.parse(body.startedAt),
    received_at: now,
  });
  const row = (await selectLocalAction(ctx.db.kysely, body.id))!;
  // Two deliveries of one run racing: the one that did not insert answers like a retry.
  if (!inserted) {
    if (row.device_id !== deviceId) throw new ApiError(409, 'run_id_taken', 'This run id belongs to another device');
    return { status: 200, run: toLocalActionDto(row) };
  }
  await audit(ctx, {
    actorType: 'system',
    actorId: null,
    action: body.ok ? 'local_action.succeeded' : 'local_action.failed',
    targetType: 'local_action',
    targetId: body.id,
    details: {
      deviceId,
      by: 'employee',
      action: body.action,
      params,
      source: body.source,
      exitCode: body.exitCode,
      durationMs: body.durationMs,
      error: row.error,
      outputBytes: Buffer.byteLength(output),
    },
    ip,
  });
  // The consoles' command lists of the device read again (the same event as a technician's command).
  ctx.bus.publish({ kind: 'command', commandId: body.id, deviceId, ticketId: null });
  return { status: 201, run: toLocalActionDto(row) };
}

/** A device's Fix-it runs, newest first. */
export async function listDeviceLocalActions(
  ctx: ServerContext,
  deviceId: string,
  query: ListQuery,
): Promise<{ runs: LocalActionDto[] }> {
  if (!(await deviceExists(ctx.db.kysely, deviceId))) throw notFound('Device', 'device_not_found');
  return { runs: (await selectLocalActionsOfDevice(ctx.db.kysely, deviceId, query.limit)).map(toLocalActionDto) };
}
