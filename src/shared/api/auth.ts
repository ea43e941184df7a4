import { z } from 'zod';
import { text } from '../text/text-schema';

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

/** POST /api/v1/staff (admin) */
export const createStaffRequestSchema = z.object({
  email: z.email().max(254),
  name: text().trim().min(1).max(120),
  role: staffRoleSchema,
  password: text().min(12, 'must be at least 12 characters').max(1024),
  group: text().trim().min(1).max(64).nullable().default(null),
});

/** PATCH /api/v1/staff/:id (admin) */
export const updateStaffRequestSchema = z
  .object({
    name: text().trim().min(1).max(120),
    role: staffRoleSchema,
    group: text().trim().min(1).max(64).nullable(),
    active: z.boolean(),
    password: text().min(12, 'must be at least 12 characters').max(1024),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
