import { SECTION_NAMES, type SectionName } from '../shared/snapshot/section-names';
import { UsageError } from './io';

/*
 * Flag parsers shared by the command definitions. They run while commander parses, before any
 * command module loads, so they use only plain shared data (no zod).
 */

/** An http(s) URL, normalised. */
export function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`only http and https URLs are supported: ${value}`);
  return url.toString();
}

/** A help-desk server URL without trailing slashes. */
export function parseServer(value: string): string {
  return parseUrl(value).replace(/\/+$/, '');
}

/** A repeatable URL flag. */
export function collectUrls(value: string, previous: string[] = []): string[] {
  return [...previous, parseUrl(value)];
}

const isSectionName = (name: string): name is SectionName => (SECTION_NAMES as readonly string[]).includes(name);

function sectionList(value: string): SectionName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isSectionName(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown section ${unknown.join(', ')}; choose from ${SECTION_NAMES.join(', ')}`);
  return names as SectionName[];
}

/** A comma-separated list of at least one section. */
export function parseSections(value: string): SectionName[] {
  const names = sectionList(value);
  if (names.length === 0) throw new UsageError('--sections needs at least one section');
  return [...new Set(names)];
}

/** A repeatable comma-separated list of sections to leave out. */
export function parseExclude(value: string, previous: SectionName[] = []): SectionName[] {
  return [...new Set([...previous, ...sectionList(value)])];
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value))
      throw new UsageError(`${name} must be one of ${choices.join(', ')}: ${value}`);
    return value as T;
  };
}

/** A ticket number. */
export function parseTicketId(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new UsageError(`not a ticket number: ${value}`);
  return Number(value);
}
