import { commandActionDefinition } from '../../shared/actions/catalog';
import type { CommandDto } from '../../shared/api/commands';
import { parseJsonObject } from '../db/json-columns';
import type { CommandListRow } from './commands.repo';

/* A device_commands row as the API answers it. */

const iso = (ms: number) => new Date(ms).toISOString();

/** The stored consent (`{by, name?, at}`), or null when nobody was asked yet. */
function consentOf(text: string | null): CommandDto['consent'] {
  if (text === null) return null;
  const value = parseJsonObject(text);
  if (value.by !== 'employee' && value.by !== 'policy') return null;
  return {
    by: value.by,
    name: typeof value.name === 'string' ? value.name : null,
    at: typeof value.at === 'number' ? iso(value.at) : '',
  };
}

export function toCommandDto(row: CommandListRow): CommandDto {
  const ended = row.status === 'succeeded' || row.status === 'failed';
  const params = parseJsonObject(row.params);
  return {
    id: row.id,
    deviceId: row.device_id,
    ticketId: row.ticket_id,
    action: row.action,
    title: commandActionDefinition(row.action, params)?.title ?? row.action,
    params,
    reason: row.reason,
    visibility: row.visibility,
    requestedBy: { id: row.requested_by, name: row.requester_name },
    issuedAt: iso(row.issued_at),
    expiresAt: iso(row.expires_at),
    status: row.status,
    consent: consentOf(row.consent),
    refusal: row.status === 'refused' ? row.error : null,
    expiry: row.status === 'expired' ? row.error : null,
    result:
      ended || row.output !== null
        ? {
            exitCode: row.exit_code,
            durationMs: row.duration_ms,
            output: row.output ?? '',
            fields: row.result === null ? null : parseJsonObject(row.result),
            error: row.status === 'refused' ? null : row.error,
          }
        : null,
    updatedAt: iso(row.updated_at),
  };
}
