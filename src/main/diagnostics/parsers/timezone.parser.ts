/*
 * The IANA time zone of a Linux machine without ICU. Asking Intl (DateTimeFormat().resolvedOptions())
 * makes Node map about 8 MB of ICU data into the snapshot process; the answer comes from the same
 * places ICU looks: the TZ variable, then the /etc/localtime link into the zoneinfo tree (then
 * /etc/timezone, Debian's copy of the name). Intl's own rule for the UTC aliases is kept: they are
 * all "UTC" (ECMA-402 CanonicalizeTimeZoneName).
 */

const UTC_ALIASES = new Set([
  'Etc/UTC',
  'Etc/UCT',
  'Etc/Universal',
  'Etc/Zulu',
  'Etc/GMT',
  'Etc/GMT0',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'Etc/Greenwich',
  'UTC',
  'UCT',
  'Universal',
  'Zulu',
  'GMT',
  'GMT0',
  'GMT+0',
  'GMT-0',
  'Greenwich',
]);

// An IANA name: Area/Location segments of letters, digits, "_", "+" and "-" (no "..", no leading "/").
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function canonical(name: string): string | null {
  if (!IANA_NAME.test(name)) return null;
  return UTC_ALIASES.has(name) ? 'UTC' : name;
}

export interface TimezoneSources {
  /** process.env.TZ */
  tz: string | undefined;
  /** Where /etc/localtime links to (readlink), or null when it is not a link. */
  localtimeLink: string | null;
  /** The contents of /etc/timezone, or null. */
  etcTimezone: string | null;
}

/** The zone name, or null when none of the sources names one (the caller may then ask Intl). */
export function linuxTimezone({ tz, localtimeLink, etcTimezone }: TimezoneSources): string | null {
  if (tz) {
    // TZ=":Europe/Paris" and TZ="Europe/Paris" name a zone; a POSIX rule such as "EST5EDT,M3.2.0" does not.
    const named = tz.startsWith(':') ? tz.slice(1) : tz;
    const fromPath = /(?:^|\/)zoneinfo\/(.+)$/.exec(named)?.[1];
    return canonical(fromPath ?? named);
  }
  const linked = localtimeLink ? /(?:^|\/)zoneinfo\/(.+)$/.exec(localtimeLink)?.[1] : undefined;
  if (linked) return canonical(linked.replace(/^(posix|right)\//, ''));
  const written = etcTimezone?.trim();
  return written ? canonical(written) : null;
}
