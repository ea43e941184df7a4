import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { packageSchema } from '../../../shared/snapshot/sections';
import { DPKG_STATUS_PATH, parseDpkgStatus } from './dpkg.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/linux/dpkg-status', import.meta.url), 'utf8');

describe('parseDpkgStatus', () => {
  const packages = parseDpkgStatus(fixture);

  it('keeps installed packages, including held ones and one without a Version', () => {
    expect(packages.map((p) => p.name)).toEqual([
      'adduser',
      'dpkg',
      'libc6',
      'firefox-esr-l10n-de',
      'linux-image-6.1.0-27-amd64',
      'zoom',
      'contoso-vpn-helper',
    ]);
    expect(packages.find((p) => p.name === 'dpkg')).toEqual({
      name: 'dpkg',
      version: '1.21.22',
      source: 'dpkg',
      publisher: null,
    });
    expect(packages.find((p) => p.name === 'contoso-vpn-helper')?.version).toBeNull();
  });

  it('skips removed, half-configured, half-installed and not-installed packages', () => {
    const names = packages.map((p) => p.name);
    for (const name of ['libreoffice-writer', 'google-chrome-stable', 'cups-filters', 'apt'])
      expect(names).not.toContain(name);
  });

  it('lists a multi-arch package installed for two architectures once', () => {
    expect(packages.filter((p) => p.name === 'libc6')).toHaveLength(1);
  });

  it('matches the snapshot schema', () => {
    expect(() => z.array(packageSchema).parse(packages)).not.toThrow();
  });

  it('reads CRLF files and ignores garbage', () => {
    expect(parseDpkgStatus(fixture.replace(/\n/g, '\r\n'))).toEqual(packages);
    expect(parseDpkgStatus('no colon here\n: empty field\nPackage\n\n\n')).toEqual([]);
    expect(parseDpkgStatus('')).toEqual([]);
  });

  // Speed is the snapshot bench's business (npm run bench), not a timed unit test's: this checks
  // that a status file the size of a real desktop's is read completely and correctly.
  it('reads a large status file completely: 1000 packages with long descriptions', () => {
    const paragraph = (i: number) =>
      `Package: pkg-${i}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: 1.${i}-1\n` +
      `Depends: libc6 (>= 2.34), libfoo${i} | libbar\nDescription: package ${i}\n${' long description line\n'.repeat(20)}`;
    const big = Array.from({ length: 1000 }, (_, i) => paragraph(i)).join('\n');
    const parsed = parseDpkgStatus(big);
    expect(parsed).toHaveLength(1000);
    expect(parsed.map((p) => p.name)).toEqual(Array.from({ length: 1000 }, (_, i) => `pkg-${i}`));
    expect(parsed.map((p) => p.version)).toEqual(Array.from({ length: 1000 }, (_, i) => `1.${i}-1`));
    expect(z.array(packageSchema).safeParse(parsed).success).toBe(true);
  });

  it.skipIf(!existsSync(DPKG_STATUS_PATH))(
    "finds dpkg in this machine's status file with the version dpkg-query reports (skipped where dpkg is not installed)",
    () => {
      const expected = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'dpkg'], { encoding: 'utf8' }).trim();
      const live = parseDpkgStatus(readFileSync(DPKG_STATUS_PATH, 'utf8'));
      expect(live.find((p) => p.name === 'dpkg')?.version).toBe(expected);
      expect(() => z.array(packageSchema).parse(live)).not.toThrow();
    },
  );
});
