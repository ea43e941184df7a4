import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { packageSchema } from '../../../shared/snapshot/sections';
import { FLATPAK_COMMAND, parseFlatpakList } from './flatpak.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/linux/flatpak-list.txt', import.meta.url), 'utf8');

describe('parseFlatpakList', () => {
  const packages = parseFlatpakList(fixture);

  it('reads name, version and origin', () => {
    expect(packages[0]).toEqual({ name: 'Firefox', version: '133.0', source: 'flatpak', publisher: 'flathub' });
    expect(packages.map((p) => p.name)).toContain('Éditeur de texte');
    expect(packages.map((p) => p.name)).toContain('微信');
  });

  it('falls back to the application id and maps an empty version to null', () => {
    expect(packages.find((p) => p.name === 'org.example.InternalTool')?.publisher).toBe('contoso');
    expect(packages.find((p) => p.name === 'Ptyxis')?.version).toBeNull();
  });

  it('lists an app installed per-user and system-wide once', () => {
    expect(packages.filter((p) => p.name === 'Firefox')).toHaveLength(1);
    expect(packages).toHaveLength(7);
    expect(() => z.array(packageSchema).parse(packages)).not.toThrow();
  });

  it('skips a header, blank lines and rows without an application id', () => {
    const text = 'Name\tApplication ID\tVersion\tOrigin\n\njust text\nOnly name\t\t1.0\tflathub\n';
    expect(parseFlatpakList(text)).toEqual([]);
  });

  it('requests the columns in the order the parser reads them', () => {
    expect(FLATPAK_COMMAND[1]).toContain('--columns=name,application,version,origin');
  });
});
