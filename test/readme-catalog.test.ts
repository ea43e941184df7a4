import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, type ActionDefinition } from '../src/shared/actions/catalog';

/*
 * The README's table of remote actions is the catalog (src/shared/actions/catalog.ts) as people read it:
 * this test fails when the two disagree — an action added, removed or renamed, its risk, consent,
 * platforms, timeout or output cap changed — and prints the rows the table should have.
 */

const START = '<!-- catalog:start (test/readme-catalog.test.ts checks this table against catalog.ts) -->';
const END = '<!-- catalog:end -->';
const PLATFORM = { linux: 'Linux', win32: 'Windows', darwin: 'macOS' } as const;

const time = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`);
const size = (bytes: number) => (bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2} MB` : `${bytes / 1024} KB`);

/** The table's rows as the catalog says they are (header first). */
function catalogRows(): string[][] {
  const rows = (Object.values(ACTIONS) as ActionDefinition[]).map((a) => [
    `\`${a.name}\``,
    a.title,
    a.risk === 'reads' ? 'reads' : '**changes**',
    a.consent === 'always' ? '**always asks**' : 'IT policy',
    a.platforms.map((p) => PLATFORM[p]).join(', '),
    time(a.timeoutMs),
    size(a.outputCapBytes),
  ]);
  return [['action', 'what it does', 'risk', 'consent', 'platforms', 'timeout', 'output kept'], ...rows];
}

/** The README's table between the markers, as cells (the separator row left out). */
function readmeRows(): string[][] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) throw new Error(`README.md has no catalog table between "${START}" and "${END}"`);
  return readme
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('README: the table of remote actions', () => {
  it('lists exactly the catalog, with its risk, consent, platforms, timeout and output cap', () => {
    const expected = catalogRows();
    const printed = expected.map((row) => `| ${row.join(' | ')} |`).join('\n');
    expect(
      readmeRows(),
      `README.md's catalog table should read (then run prettier on README.md):\n${printed}\n`,
    ).toEqual(expected);
  });
});
