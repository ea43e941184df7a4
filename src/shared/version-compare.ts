/*
 * Software version order, for "which computers have Chrome older than 120": installed packages carry
 * versions in every OS's own style (Debian `1:2.3-4ubuntu1`, RPM `2.3-4.el9`, Windows `120.0.6099.109`,
 * macOS `17.2 (21F79)`, semver `1.2.3-rc.1`), which SQL cannot order. Zod-free: the console uses it too.
 *
 * The rules, in order:
 * - A leading `N:` is an epoch (Debian, RPM) and outweighs everything after it; none means 0.
 * - The rest is read as runs of digits and runs of letters; every other character (`.`, `-`, `+`, `_`,
 *   spaces, brackets) only separates runs. Runs are compared in turn: digits as whole numbers (leading
 *   zeros and any length are fine), letters without regard to case.
 * - `~` sorts before anything, even the end (Debian: `1.0~rc1` < `1.0`).
 * - Where one version has more runs: a further number makes it newer (`1.0.1` > `1.0`, `2.3-4` > `2.3`);
 *   a pre-release word (alpha, beta, rc, pre, preview, dev, snapshot, nightly, canary) makes it older
 *   (`1.0.0-rc.1` < `1.0.0`); any other word makes it newer (`1.0a` > `1.0`, `1.2p1` > `1.2`).
 * - A number against a word at the same place: the number is newer (`1.0.1` > `1.0.beta`).
 * Versions equal by these rules (`1.0` and `1.00`, `2.3-4` and `2.3.4`) compare as 0.
 */

type Token = { kind: 'number'; digits: string } | { kind: 'word'; text: string } | { kind: 'tilde' };

const PRE_RELEASE = new Set(['alpha', 'beta', 'rc', 'pre', 'preview', 'dev', 'snapshot', 'nightly', 'canary']);

function tokensOf(version: string): { epoch: string; tokens: Token[] } {
  const trimmed = version.trim();
  const epochMatch = /^(\d+):(?=.)/.exec(trimmed);
  const rest = epochMatch ? trimmed.slice(epochMatch[0].length) : trimmed;
  const tokens: Token[] = [];
  for (const [run] of rest.matchAll(/\d+|[A-Za-z]+|~/g)) {
    if (run === '~') tokens.push({ kind: 'tilde' });
    else if (/^\d/.test(run)) tokens.push({ kind: 'number', digits: run.replace(/^0+(?=\d)/, '') });
    else tokens.push({ kind: 'word', text: run.toLowerCase() });
  }
  return { epoch: epochMatch ? (epochMatch[1] ?? '0').replace(/^0+(?=\d)/, '') : '0', tokens };
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Whole numbers written as digit strings without leading zeros, of any length. */
function compareDigits(a: string, b: string): -1 | 0 | 1 {
  if (a.length !== b.length) return sign(a.length - b.length);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a version that goes on with `token` compares with one that ended there. */
function againstEnd(token: Token): -1 | 1 {
  if (token.kind === 'tilde') return -1;
  if (token.kind === 'word' && PRE_RELEASE.has(token.text)) return -1;
  return 1;
}

function compareTokens(a: Token | undefined, b: Token | undefined): -1 | 0 | 1 {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return b === undefined ? 0 : (-againstEnd(b) as -1 | 1);
  if (b === undefined) return againstEnd(a);
  if (a.kind === 'tilde' || b.kind === 'tilde') return a.kind === b.kind ? 0 : a.kind === 'tilde' ? -1 : 1;
  if (a.kind === 'number' && b.kind === 'number') return compareDigits(a.digits, b.digits);
  if (a.kind === 'word' && b.kind === 'word') return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  return a.kind === 'number' ? 1 : -1;
}

/** Orders two version strings: negative when `a` is older than `b`, 0 when equal by the rules above, positive when newer. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const left = tokensOf(a);
  const right = tokensOf(b);
  const epochs = compareDigits(left.epoch, right.epoch);
  if (epochs !== 0) return epochs;
  const length = Math.max(left.tokens.length, right.tokens.length);
  for (let i = 0; i < length; i++) {
    const order = compareTokens(left.tokens[i], right.tokens[i]);
    if (order !== 0) return order;
  }
  return 0;
}

/** True when `version` has something to compare: at least one run of digits or letters. */
export function isComparableVersion(version: string): boolean {
  return /[0-9A-Za-z]/.test(version);
}
