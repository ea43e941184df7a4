/*
 * Limits of what administrators enter (staff accounts, support groups, category labels, enrollment
 * secrets) as plain data, with no zod: the command line (`deskside server create-admin`) and the
 * console's forms check them without loading the schema library. src/shared/api/auth.ts, settings.ts
 * and devices.ts build their schemas from them.
 */

/** Shortest password a staff account may have. */
export const STAFF_PASSWORD_MIN = 12;
/** Longest display name of a staff member. */
export const STAFF_NAME_MAX = 120;
/** Longest support-group name (also what a staff member's group may be). */
export const GROUP_NAME_MAX = 64;
/** Longest description of a support group. */
export const GROUP_DESCRIPTION_MAX = 500;
/** Highest support tier: 1 = first line, 2 = second line, 3 = specialists, … */
export const MAX_GROUP_TIER = 9;
/** Longest label of a ticket category. */
export const CATEGORY_LABEL_MAX = 64;
/** Longest name of an enrollment secret. */
export const ENROLL_SECRET_NAME_MAX = 100;
