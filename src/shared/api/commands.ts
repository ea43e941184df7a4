import { z } from 'zod';
import { COMMAND_MAX_LIFETIME_MS } from '../actions/command-signing';
import { COMMAND_DEFAULT_EXPIRY_MINUTES, COMMAND_REASON_MAX, COMMAND_STATUSES } from '../actions/command-status';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';
import { idParamsSchema } from './tickets';

/*
 * Remote actions on a ticket's device (issue 12): a technician requests a catalog action
 * (src/shared/actions/catalog.ts), the server signs it for the device and sends it over the live
 * channel (or keeps it until the device connects, up to its expiry), and the result comes back onto the
 * ticket. Technicians and admins may request; devices never call these.
 */

export const commandStatusSchema = z.enum(COMMAND_STATUSES);
export const commandVisibilitySchema = z.enum(['internal', 'public']);

/** POST /api/v1/tickets/:id/commands. */
export const requestCommandSchema = z.object({
  /** A catalog action name. */
  action: text().min(1).max(64),
  /** Checked against the action's schema (parseActionParams); defaults are applied before signing. */
  params: z.record(z.string().max(64), z.unknown()).default({}),
  /** Why the technician asks: the employee reads it in the consent prompt. */
  reason: text().trim().min(1, 'must not be empty').max(COMMAND_REASON_MAX),
  /** `internal`: the result is an internal note; `public`: a message the employee sees too. */
  visibility: commandVisibilitySchema.default('internal'),
  /** How long the command may wait for an offline device. */
  expiresInMinutes: z
    .number()
    .int()
    .min(1)
    .max(COMMAND_MAX_LIFETIME_MS / 60_000)
    .default(COMMAND_DEFAULT_EXPIRY_MINUTES),
});
export type RequestCommandBody = z.input<typeof requestCommandSchema>;

export const commandSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  ticketId: z.number().nullable(),
  action: z.string(),
  /** The catalog's title of the action. */
  title: z.string(),
  params: z.record(z.string(), z.unknown()),
  reason: z.string(),
  visibility: commandVisibilitySchema,
  requestedBy: z.object({ id: z.number(), name: z.string().nullable() }),
  issuedAt: z.string(),
  expiresAt: z.string(),
  status: commandStatusSchema,
  /** Who allowed or denied it, or that IT's policy ran it unattended; null before anyone was asked. */
  consent: z.object({ by: z.enum(['employee', 'policy']), name: z.string().nullable(), at: z.string() }).nullable(),
  /** Why the device refused it. */
  refusal: z.string().nullable(),
  /**
   * Why an expired command expired when it got as far as a consent prompt: nobody answered before the
   * request expired (COMMAND_NO_ANSWER_REASON; no one is named). Null otherwise.
   */
  expiry: z.string().nullable().optional(),
  /** Null until the command ended; `output` also holds the progress so far while it runs. */
  result: z
    .object({
      exitCode: z.number().nullable(),
      durationMs: z.number().nullable(),
      output: z.string(),
      fields: z.record(z.string(), z.unknown()).nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  updatedAt: z.string(),
});
export type CommandDto = z.infer<typeof commandSchema>;

/** Most commands one list answers. */
export const COMMAND_LIST_MAX = 200;
export const commandListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(COMMAND_LIST_MAX).default(50),
});
export const commandListSchema = z.object({ commands: z.array(commandSchema) });

const commandParams = z.object({ id: z.uuid() });
const deviceParams = z.object({ id: z.uuid() });

export const commandEndpoints = endpointGroup('commands', {
  requestCommand: {
    summary: "Run a catalog action on the ticket's device: validated, signed, queued until the device takes it",
    description:
      "Refused with 422 for an unknown action (`unknown_action`), parameters the catalog refuses (`bad_params`, naming the field) or an action not available on the device's OS (`unsupported_platform`); 409 for a closed ticket (`ticket_closed`), a ticket without a device (`ticket_has_no_device`) or a revoked device (`device_revoked`); 429 (`too_many_commands`, Retry-After) past the per-technician rate. IT's part of the catalog: `service.restart` and `package.install` name an allow-list entry (422 `not_on_allow_list` for one that is not there) whose name for the device's OS the server signs in (422 `unsupported_platform` when the entry has none; 422 `bad_params` for a request that gives the resolved name itself); `script.<slug>` runs an IT script (422 `unknown_script`), `params` being its values, checked against its declared parameters (422 `bad_params`).",
    params: idParamsSchema,
    body: requestCommandSchema,
    responses: { 201: commandSchema },
    errors: [404, 409, 422, 429],
  },
  listTicketCommands: {
    summary: "The commands requested on a ticket's device from this ticket, newest first, with status and results",
    params: idParamsSchema,
    query: commandListQuerySchema,
    responses: { 200: commandListSchema },
    errors: [404],
  },
  listDeviceCommands: {
    summary: "A device's commands, newest first, with status and results",
    params: deviceParams,
    query: commandListQuerySchema,
    responses: { 200: commandListSchema },
    errors: [404],
  },
  cancelCommand: {
    summary: 'Cancel a command the device has not taken yet (queued)',
    params: commandParams,
    responses: { 200: commandSchema },
    errors: [404, 409],
  },
});
