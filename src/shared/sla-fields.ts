/*
 * SLA and escalation fields as plain data, with no zod: the console's settings forms read them
 * without loading the schema library, and src/shared/api/sla.ts builds its schemas from the same
 * constants.
 */

/** Longest accepted SLA target: one year of minutes. */
export const SLA_TARGET_MINUTES_MAX = 366 * 24 * 60;
/** The warning threshold's range, in percent of a target. */
export const SLA_WARNING_PERCENT_MIN = 1;
export const SLA_WARNING_PERCENT_MAX = 99;
/** Longest name of an escalation rule. */
export const ESCALATION_RULE_NAME_MAX = 120;
/** Longest note an escalation rule records in the ticket history. */
export const ESCALATION_NOTIFY_MAX = 500;

/** The SLA transitions that can fire an escalation rule. */
export const ESCALATION_TRIGGERS = [
  'first_response_warning',
  'first_response_breach',
  'resolution_warning',
  'resolution_breach',
] as const;

/** Whether the runtime's IANA time-zone database knows the zone (what Luxon's IANAZone.isValidZone asks too). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format();
    return true;
  } catch {
    return false;
  }
}
