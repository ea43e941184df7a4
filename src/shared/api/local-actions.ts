import { z } from 'zod';
import { COMMAND_ERROR_MAX, COMMAND_RESULT_FIELDS_MAX, COMMAND_RESULT_OUTPUT_MAX } from '../channel/channel-limits';
import { findingCodeSchema } from '../health/finding';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * Fix-it runs (issue 12): an employee ran a self-service action on their own computer from a health
 * finding or a self-help article (src/shared/actions/self-service.ts). The agent records each run on the
 * server (device token), where technicians see it among the device's commands, marked as the employee's.
 * The run's id is the agent's: sending the same run again (a retry after a lost answer) stores it once.
 */

const deviceParams = z.object({ id: z.uuid() });

export const localActionSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('finding'), code: findingCodeSchema }).strict(),
  z
    .object({ kind: z.literal('article'), articleId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
    .strict(),
]);

const fieldsSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((fields) => JSON.stringify(fields).length <= COMMAND_RESULT_FIELDS_MAX, {
    message: `must be at most ${COMMAND_RESULT_FIELDS_MAX} characters as JSON`,
  });

/** POST /api/v1/device/local-actions (device). */
export const recordLocalActionSchema = z
  .object({
    /** The agent's id of the run (uuid), so a retry is stored once. */
    id: z.uuid(),
    /** A self-service action (the server refuses any other). */
    action: text().min(1).max(64),
    /** Its parameters as they ran: the server checks them against the catalog and the self-service table. */
    params: z.record(z.string().max(64), z.unknown()),
    source: localActionSourceSchema,
    ok: z.boolean(),
    exitCode: z.number().int().min(-2_147_483_648).max(4_294_967_295).nullable(),
    durationMs: z
      .number()
      .int()
      .nonnegative()
      .max(24 * 3_600_000),
    fields: fieldsSchema,
    /** The raw output; the server keeps at most the action's output cap. */
    output: text().max(COMMAND_RESULT_OUTPUT_MAX),
    outputTruncated: z.boolean(),
    error: z.object({ code: text().max(64), message: text().max(COMMAND_ERROR_MAX) }).nullable(),
    /** When the employee confirmed it (the agent's clock). */
    startedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type RecordLocalActionBody = z.input<typeof recordLocalActionSchema>;

/** A Fix-it run as technicians see it. */
export const localActionSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  action: z.string(),
  /** The catalog's title of the action. */
  title: z.string(),
  params: z.record(z.string(), z.unknown()),
  source: localActionSourceSchema,
  ok: z.boolean(),
  exitCode: z.number().nullable(),
  durationMs: z.number(),
  fields: z.record(z.string(), z.unknown()),
  output: z.string(),
  outputTruncated: z.boolean(),
  error: z.string().nullable(),
  startedAt: z.string(),
  receivedAt: z.string(),
});
export type LocalActionDto = z.infer<typeof localActionSchema>;

export const LOCAL_ACTION_LIST_MAX = 200;
export const localActionListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LOCAL_ACTION_LIST_MAX).default(50),
});
export const localActionListSchema = z.object({ runs: z.array(localActionSchema) });

export const localActionEndpoints = endpointGroup('local-actions', {
  recordLocalAction: {
    summary: "Record a Fix-it run the employee started on this device (the device's own token)",
    description:
      'Refused with 422 for an action employees may not run themselves (`not_self_service`), parameters other than ' +
      'the self-service table fixes (`bad_params`), or a finding that does not offer that action (`not_bound`). ' +
      'The same run id again answers 200 with the run as first stored.',
    body: recordLocalActionSchema,
    responses: { 201: localActionSchema, 200: localActionSchema },
    errors: [422],
  },
  listDeviceLocalActions: {
    summary: 'The Fix-it runs employees started on a device, newest first',
    params: deviceParams,
    query: localActionListQuerySchema,
    responses: { 200: localActionListSchema },
    errors: [404],
  },
});
