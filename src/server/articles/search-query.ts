/*
 * Turning what a user typed into a full-text query. User input never reaches the query syntax of
 * FTS5 or tsquery: it is cut into words of letters, marks and digits (what both tokenizers index),
 * and only those words are placed, quoted, into a query we build. `"`, `*`, `AND(`, `NEAR`, `:*` or
 * `!` are either dropped or become plain words.
 *
 * Terms are OR-ed: text typed into a ticket form ("my printer will not print") should still find the
 * printer article, and bm25 / ts_rank put documents matching more and rarer words first. The last
 * word is matched as a prefix so results follow the user while they type.
 */

const MAX_TERMS = 12;
const MAX_TERM_LENGTH = 64;
// One- and two-letter prefixes expand to a large part of the vocabulary; they are matched as words.
const MIN_PREFIX_LENGTH = 3;

// Words too common to mean anything; dropped unless nothing else is left. PostgreSQL's English
// configuration drops them itself, SQLite's FTS5 does not, so this keeps both close.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can do does for from has have how i if in into is it its me my no not of on or our so ' +
    'that the their then there these this to was we what when where which who why will with you your'
  ).split(' '),
);

/** The words of a query, and whether the last one is matched as a prefix. */
export interface SearchTerms {
  words: string[];
  prefix: boolean;
}

/** Cuts user input into safe search words; no words means nothing to search for. */
export function parseSearchTerms(input: string): SearchTerms {
  const typed = (
    input
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  ).map((w) => w.slice(0, MAX_TERM_LENGTH));
  const meaningful = typed.filter((w) => !STOP_WORDS.has(w));
  const words = [...new Set(meaningful.length > 0 ? meaningful : typed)].slice(0, MAX_TERMS);
  const last = words.at(-1);
  return { words, prefix: last !== undefined && last === typed.at(-1) && last.length >= MIN_PREFIX_LENGTH };
}

/** An FTS5 MATCH expression: every word a quoted string, the last one optionally a prefix. */
export function toFts5Match(terms: SearchTerms): string {
  return terms.words
    .map((w, i) => `"${w.replace(/"/g, '""')}"${terms.prefix && i === terms.words.length - 1 ? '*' : ''}`)
    .join(' OR ');
}

/** A to_tsquery expression; the words hold only letters, marks and digits, so no tsquery operator can appear. */
export function toTsQuery(terms: SearchTerms): string {
  return terms.words.map((w, i) => `'${w}'${terms.prefix && i === terms.words.length - 1 ? ':*' : ''}`).join(' | ');
}
