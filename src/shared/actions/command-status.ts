/*
 * A remote command's life, zod-free (the console's bundle reads it): its statuses and the only moves
 * between them. The server applies a change only along these edges, so nothing goes back (a result
 * never reopens a finished command; a cancelled or expired one takes no result).
 *
 *   queued ─► delivered ─► awaiting-consent ─► running ─► succeeded | failed
 *      │          │  └────────────────────────────┘ (unattended by policy)
 *      │          └─► denied | refused | expired          awaiting-consent ─► denied | refused | expired
 *      └─► cancelled | expired
 *
 * A result may also come straight from delivered or awaiting-consent (a fast action whose running
 * update was not sent). A consent prompt nobody answered before the command's expiry ends expired (the
 * agent says so, or the server's expiry job does), never denied: no employee decided anything. A command
 * left running past its expiry, its action's timeout and COMMAND_RESULT_GRACE_MS ends failed
 * (COMMAND_NO_RESULT_REASON).
 */

export const COMMAND_STATUSES = [
  'queued',
  'delivered',
  'awaiting-consent',
  'running',
  'succeeded',
  'failed',
  'denied',
  'refused',
  'expired',
  'cancelled',
] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** Where each status may go next. */
export const COMMAND_TRANSITIONS: Readonly<Record<CommandStatus, readonly CommandStatus[]>> = {
  queued: ['delivered', 'cancelled', 'expired'],
  delivered: ['awaiting-consent', 'running', 'succeeded', 'failed', 'denied', 'refused', 'expired'],
  'awaiting-consent': ['running', 'succeeded', 'failed', 'denied', 'refused', 'expired'],
  running: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
  denied: [],
  refused: [],
  expired: [],
  cancelled: [],
};

/** The statuses a command may move to `to` from. */
export function commandStatusesBefore(to: CommandStatus): CommandStatus[] {
  return COMMAND_STATUSES.filter((from) => COMMAND_TRANSITIONS[from].includes(to));
}

/** A status nothing follows. */
export function isFinalCommandStatus(status: CommandStatus): boolean {
  return COMMAND_TRANSITIONS[status].length === 0;
}

/** The technician's words for the command's statuses. */
export const COMMAND_STATUS_LABELS: Readonly<Record<CommandStatus, string>> = {
  queued: 'Waiting for the device',
  delivered: 'Delivered',
  'awaiting-consent': "Waiting for the employee's consent",
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied by the employee',
  refused: 'Refused by the device',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

/** Why a command whose consent prompt nobody answered ended expired (the agent's frame, the row, the audit). */
export const COMMAND_NO_ANSWER_REASON = 'No answer before the request expired';
/** Why a command still running long after it could have ended was marked failed by the server. */
export const COMMAND_NO_RESULT_REASON = 'The device did not report a result';
/** How long after its expiry and its action's timeout a running command's result may still arrive. */
export const COMMAND_RESULT_GRACE_MS = 5 * 60_000;

/** Most commands one technician may request per minute. */
export const COMMAND_REQUESTS_PER_MINUTE = 30;
/** A request's default lifetime (its longest is the envelope's, COMMAND_MAX_LIFETIME_MS). */
export const COMMAND_DEFAULT_EXPIRY_MINUTES = 60;
/** Longest reason a technician gives. */
export const COMMAND_REASON_MAX = 500;
