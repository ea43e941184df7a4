import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { packageSchema } from '../../../shared/snapshot/sections';
import { WINDOWS_SOFTWARE_SCRIPT, parseWindowsSoftware } from './windows-software.parser';

const read = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/windows/${name}`, import.meta.url), 'utf8');

describe('parseWindowsSoftware', () => {
  const packages = parseWindowsSoftware(read('software.json'));

  it('reads an array of entries, unescaping PowerShell 5.1 JSON and keeping Unicode', () => {
    expect(packages[0]).toEqual({
      name: '7-Zip 24.08 (x64)',
      version: '24.08',
      source: 'registry',
      publisher: 'Igor Pavlov',
    });
    expect(packages.find((p) => p.name === '微信')?.publisher).toBe('腾讯科技(深圳)有限公司');
    expect(packages.find((p) => p.name === 'AT&T Global Network Client')?.publisher).toBe('AT&T');
    expect(() => z.array(packageSchema).parse(packages)).not.toThrow();
  });

  it('keeps null versions and publishers', () => {
    expect(packages.find((p) => p.name === 'Steam')?.version).toBeNull();
    expect(packages.find((p) => p.name === 'Contoso VPN Helper')?.publisher).toBeNull();
  });

  it('lists an entry found in several registry views once, but keeps x86 and x64 products apart', () => {
    expect(packages.filter((p) => p.name === 'Python Launcher')).toHaveLength(1);
    expect(packages.filter((p) => p.name.startsWith('Microsoft Visual C++'))).toHaveLength(2);
    expect(packages).toHaveLength(12);
  });

  it('reads the single object ConvertTo-Json writes for one match, after a BOM', () => {
    expect(read('software-single.json').charCodeAt(0)).toBe(0xfeff);
    expect(parseWindowsSoftware(read('software-single.json'))).toEqual([
      { name: 'Mozilla Firefox (x64 de)', version: '133.0', source: 'registry', publisher: 'Mozilla' },
    ]);
  });

  it('returns nothing for empty output and for text that is not JSON', () => {
    expect(parseWindowsSoftware(read('software-empty.json'))).toEqual([]);
    expect(parseWindowsSoftware('\r\n')).toEqual([]);
    expect(parseWindowsSoftware('ConvertTo-Json : The converted JSON string is in bad format.')).toEqual([]);
  });

  it('skips entries without a name and stringifies numeric versions', () => {
    const text = '[{"DisplayName":null},{"DisplayName":"  "},"text",{"DisplayName":"Tool","DisplayVersion":3}]';
    expect(parseWindowsSoftware(text)).toEqual([{ name: 'Tool', version: '3', source: 'registry', publisher: null }]);
  });

  it('is one line reading all three Uninstall keys', () => {
    expect(WINDOWS_SOFTWARE_SCRIPT).not.toMatch(/[\r\n]/);
    expect(WINDOWS_SOFTWARE_SCRIPT).toContain(String.raw`HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*`);
    expect(WINDOWS_SOFTWARE_SCRIPT).toContain(
      String.raw`HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*`,
    );
    expect(WINDOWS_SOFTWARE_SCRIPT).toContain(String.raw`HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*`);
    expect(WINDOWS_SOFTWARE_SCRIPT).toContain('ConvertTo-Json -Compress');
  });
});
