import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { packageSchema } from '../../../shared/snapshot/sections';
import { parseSnapList } from './snap.parser';

const read = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/linux/${name}`, import.meta.url), 'utf8');

describe('parseSnapList', () => {
  const ascii = parseSnapList(read('snap-list.txt'));

  it('reads every row after the header', () => {
    expect(ascii.map((p) => p.name)).toEqual([
      'bare',
      'core22',
      'firefox',
      'gtk-common-themes',
      'hello-local',
      'snapd',
      'spotify',
      'zoom-client',
    ]);
    expect(ascii[2]).toEqual({ name: 'firefox', version: '133.0-2', source: 'snap', publisher: 'mozilla' });
    expect(() => z.array(packageSchema).parse(ascii)).not.toThrow();
  });

  it('strips verified and starred badges in ASCII ("**", "*") and Unicode ("✓", "✪")', () => {
    expect(ascii.find((p) => p.name === 'spotify')?.publisher).toBe('spotify');
    expect(parseSnapList(read('snap-list-utf8.txt'))).toEqual(ascii);
  });

  it('maps the "-" publisher of a locally installed snap to null', () => {
    expect(ascii.find((p) => p.name === 'hello-local')?.publisher).toBeNull();
  });

  it('accepts the older "Developer" header and ignores output without a header', () => {
    const old = 'Name  Version  Rev  Developer  Notes\ncore  16-2.30  3748  canonical  core\n';
    expect(parseSnapList(old)).toEqual([{ name: 'core', version: '16-2.30', source: 'snap', publisher: 'canonical' }]);
    expect(parseSnapList("No snaps are installed yet. Try 'snap install hello-world'.\n")).toEqual([]);
    expect(parseSnapList('')).toEqual([]);
  });
});
