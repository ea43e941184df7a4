import { z } from 'zod';
import { API_SCOPES, API_TOKEN_MAX_DAYS } from '../integrations';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * API tokens for the staff REST API: personal tokens (a staff member's own, scopes within their role) and
 * service tokens (administrators; named, not tied to a login). The token itself is in the create answer
 * only; the server keeps its SHA-256.
 */

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const scopes = z
  .array(z.enum(API_SCOPES))
  .min(1, 'choose at least one scope')
  .max(API_SCOPES.length)
  .transform((s) => [...new Set(s)]);
const days = z.number().int().min(1).max(API_TOKEN_MAX_DAYS);

export const apiTokenSchema = z.object({
  id: z.number(),
  kind: z.enum(['personal', 'service']),
  name: z.string(),
  /** The token's first characters (`dsk_Ab12…`), to tell tokens apart; not enough to use one. */
  prefix: z.string(),
  scopes: z.array(z.enum(API_SCOPES)),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type ApiTokenDto = z.infer<typeof apiTokenSchema>;

/** The create answer: the token, shown once. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type CreatedApiTokenDto = z.infer<typeof createdApiTokenSchema>;

export const createPersonalTokenRequestSchema = z
  .object({ name: text().trim().min(1).max(80), scopes, expiresInDays: days })
  .strict();
export type CreatePersonalTokenRequest = z.input<typeof createPersonalTokenRequestSchema>;

/** A service token may have no expiry, but only when the administrator says so (null, not a missing field). */
export const createServiceTokenRequestSchema = z
  .object({
    name: text()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash and underscore'),
    scopes,
    expiresInDays: days.nullable(),
  })
  .strict();
export type CreateServiceTokenRequest = z.input<typeof createServiceTokenRequestSchema>;

const listResponse = z.object({ tokens: z.array(apiTokenSchema) });
const cookieOnly =
  'Session only: an API token cannot call this (a leaked token must not be able to mint or extend tokens).';

export const apiTokenEndpoints = endpointGroup('api-tokens', {
  listMyTokens: { summary: 'Your personal API tokens', description: cookieOnly, responses: { 200: listResponse } },
  createMyToken: {
    summary: 'Create a personal API token (scopes within your role); the token is shown once',
    description: cookieOnly,
    body: createPersonalTokenRequestSchema,
    responses: { 201: createdApiTokenSchema },
  },
  revokeMyToken: {
    summary: 'Revoke one of your personal API tokens',
    description: cookieOnly,
    params: idParams,
    responses: { 200: apiTokenSchema },
    errors: [404],
  },
  listServiceTokens: {
    summary: 'Service API tokens (administrators)',
    description: cookieOnly,
    responses: { 200: listResponse },
  },
  createServiceToken: {
    summary: 'Create a service API token; the token is shown once',
    description: cookieOnly,
    body: createServiceTokenRequestSchema,
    responses: { 201: createdApiTokenSchema },
    errors: [409],
  },
  revokeServiceToken: {
    summary: 'Revoke a service API token',
    description: cookieOnly,
    params: idParams,
    responses: { 200: apiTokenSchema },
    errors: [404],
  },
});
