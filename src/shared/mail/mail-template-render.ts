/*
 * Placeholder substitution for mail templates (pure; the server renders, the editor previews through the
 * server). Values are substituted into the Markdown escaped, so a subject like "**urgent** <b>" reads
 * literally in the HTML part; `message.body` is Markdown already and goes in as it is (the renderer that
 * turns the Markdown into HTML drops raw HTML and unsafe links).
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Values that are Markdown themselves, or links Deskside made, and are not escaped. */
const RAW_VALUES = new Set(['message.body', 'link', 'rateLink']);

/** The placeholder names a template text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The placeholder names in `texts` that are not in `allowed`. */
export function unknownPlaceholders(texts: readonly string[], allowed: readonly string[]): string[] {
  const known = new Set(allowed);
  return [...new Set(texts.flatMap(placeholdersIn))].filter((name) => !known.has(name));
}

/** Backslash-escapes Markdown's syntax characters (and `<`, `&`), so a value reads literally. */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}

/** Fills in a template text; `markdown` escapes plain values for the Markdown (HTML) rendering. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>, markdown: boolean): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name] ?? '';
    return markdown && !RAW_VALUES.has(name) ? escapeMarkdown(value) : value;
  });
}
