/*
 * Zod-free limits of the fleet queries, shared by their schemas (src/shared/api/fleet.ts) and the console.
 */

/** Largest page of devices or package matches one fleet query returns. */
export const FLEET_PAGE_MAX = 200;
/** Page size when none is given. */
export const FLEET_PAGE_DEFAULT = 50;
/** Longest package name or version a fleet query takes. */
export const FLEET_TEXT_MAX = 200;
