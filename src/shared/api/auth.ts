import { z } from 'zod';
import { GROUP_NAME_MAX, STAFF_NAME_MAX, STAFF_PASSWORD_MIN } from '../admin-fields';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

export const staffRoleSchema = z.enum(['technician', 'admin']);
export type StaffRole = z.infer<typeof staffRoleSchema>;

/** POST /api/v1/auth/login */
export const loginRequestSchema = z.object({
  email: z.email().max(254),
  password: text().min(1).max(1024),
});

export const staffUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: staffRoleSchema,
  group: z.string().nullable(),
});
export type StaffUserDto = z.infer<typeof staffUserSchema>;

/** A live session: the user and the CSRF token for writes. */
export const sessionResponseSchema = z.object({
  signedIn: z.literal(true),
  user: staffUserSchema,
  csrfToken: z.string(),
});

/**
 * Answer of POST /api/v1/auth/login and GET /api/v1/auth/session: the session, or `signedIn: false`
 * (with the reason when a sign-in failed). Not being signed in is an answer, not an HTTP error, so a
 * browser has no failed request to log on a signed-out visit or a mistyped password.
 */
export const sessionStateSchema = z.discriminatedUnion('signedIn', [
  sessionResponseSchema,
  z.object({
    signedIn: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
]);
export type SessionState = z.infer<typeof sessionStateSchema>;

const staffPassword = text().min(STAFF_PASSWORD_MIN, `must be at least ${STAFF_PASSWORD_MIN} characters`).max(1024);

/** POST /api/v1/staff (admin) */
export const createStaffRequestSchema = z.object({
  email: z.email().max(254),
  name: text().trim().min(1).max(STAFF_NAME_MAX),
  role: staffRoleSchema,
  password: staffPassword,
  group: text().trim().min(1).max(GROUP_NAME_MAX).nullable().default(null),
});

/** PATCH /api/v1/staff/:id (admin) */
export const updateStaffRequestSchema = z
  .object({
    name: text().trim().min(1).max(STAFF_NAME_MAX),
    role: staffRoleSchema,
    group: text().trim().min(1).max(GROUP_NAME_MAX).nullable(),
    active: z.boolean(),
    password: staffPassword,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

/** A staff account as the staff list shows it. */
export const staffListResponseSchema = z.object({ staff: z.array(staffUserSchema.extend({ active: z.boolean() })) });

const staffIdParams = z.object({ id: z.coerce.number().int().positive() });

export const authEndpoints = endpointGroup('auth', {
  login: {
    summary: 'Sign in (staff)',
    description:
      'Answers 200 either way: `signedIn: true` with the session, or `signedIn: false` with the reason ' +
      '(`invalid_credentials`) when the email and password do not match an active account.',
    body: loginRequestSchema,
    responses: { 200: sessionStateSchema },
    errors: [429],
  },
  getSession: {
    summary: 'The signed-in staff member, if any',
    description:
      'Public: answers `signedIn: false` without a live session cookie (none, expired, idle, revoked), ' +
      'else the staff member and the CSRF token for writes.',
    responses: { 200: sessionStateSchema },
  },
  logout: {
    summary: 'Sign out',
    responses: { 204: z.null() },
  },
});

export const staffEndpoints = endpointGroup('staff', {
  listStaff: {
    summary: 'List staff',
    responses: { 200: staffListResponseSchema },
  },
  createStaff: {
    summary: 'Create a staff account (admin)',
    body: createStaffRequestSchema,
    responses: { 201: staffUserSchema },
    errors: [409],
  },
  updateStaff: {
    summary: 'Change a staff account (admin)',
    params: staffIdParams,
    body: updateStaffRequestSchema,
    responses: { 200: staffUserSchema },
    errors: [404],
  },
});
