import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { packageSchema } from '../../../shared/snapshot/sections';
import { parseInfoPlist, parseSystemProfilerApps, plutilToXmlCommand } from './macos-apps.parser';

const read = (name: string, encoding: BufferEncoding = 'utf8') =>
  readFileSync(new URL(`../../../../test/fixtures/macos/${name}`, import.meta.url), encoding);

describe('parseInfoPlist', () => {
  it('reads CFBundleName and CFBundleShortVersionString, ignoring keys of nested dicts', () => {
    expect(parseInfoPlist(read('info-plist-slack.plist'), 'Slack.app')).toEqual({
      name: 'Slack',
      version: '4.41.97',
      source: 'applications',
      publisher: null,
    });
  });

  it('prefers CFBundleDisplayName, decodes entities and falls back to CFBundleVersion', () => {
    expect(parseInfoPlist(read('info-plist-entities.plist'), 'TJToolbox.app')).toMatchObject({
      name: 'Tom & Jerry’s <Toolbox>',
      version: '1.0 (42)',
    });
  });

  it('falls back to the bundle file name and a null version', () => {
    expect(parseInfoPlist(read('info-plist-minimal.plist'), '/Applications/Legacy Helper.app')).toEqual({
      name: 'Legacy Helper',
      version: null,
      source: 'applications',
      publisher: null,
    });
  });

  it('returns null for binary plists so the probe can convert them with plutil', () => {
    expect(parseInfoPlist(read('info-plist-binary.plist', 'latin1'), 'Slack.app')).toBeNull();
    expect(plutilToXmlCommand('/Applications/Slack.app/Contents/Info.plist')).toEqual([
      'plutil',
      ['-convert', 'xml1', '-o', '-', '/Applications/Slack.app/Contents/Info.plist'],
    ]);
  });

  it('returns null for text that is not a property list dict', () => {
    expect(parseInfoPlist('', 'A.app')).toBeNull();
    expect(parseInfoPlist('<plist version="1.0"><array><string>x</string></array></plist>', 'A.app')).toBeNull();
    expect(parseInfoPlist('not xml at all', 'A.app')).toBeNull();
  });

  it('handles numeric references, comments, empty strings and non-string values', () => {
    const xml =
      '<?xml version="1.0"?><plist version="1.0"><!-- <key>CFBundleName</key><string>Comment</string> --><dict>' +
      '<key>CFBundleDisplayName</key><string/><key>CFBundleName</key><string>Caf&#233; &#x2615;</string>' +
      '<key>CFBundleShortVersionString</key><integer>3</integer><key>CFBundleVersion</key><string>3.0</string></dict></plist>';
    expect(parseInfoPlist(xml, 'X.app')).toMatchObject({ name: 'Café ☕', version: '3.0' });
  });
});

describe('parseSystemProfilerApps', () => {
  const apps = parseSystemProfilerApps(read('system-profiler-apps.json'));

  it('reads name and version, with the signing organisation as publisher', () => {
    expect(apps.find((a) => a.name === 'Slack')).toEqual({
      name: 'Slack',
      version: '4.41.97',
      source: 'applications',
      publisher: 'Slack Technologies, Inc.',
    });
    expect(apps.find((a) => a.name === 'Café Menü Planer')?.publisher).toBe('Müller & Söhne GmbH');
    expect(() => z.array(packageSchema).parse(apps)).not.toThrow();
  });

  it('falls back to obtained_from for Apple-signed apps, and to null when unknown', () => {
    expect(apps.find((a) => a.name === 'Safari')?.publisher).toBe('apple');
    expect(apps.find((a) => a.name === 'Xcode')?.publisher).toBe('mac_app_store');
    expect(apps.find((a) => a.name === 'InternalTool')).toMatchObject({ version: null, publisher: null });
  });

  it('lists two copies of the same app and version once', () => {
    expect(apps.filter((a) => a.name === 'Slack')).toHaveLength(1);
    expect(apps).toHaveLength(6);
  });

  it('returns nothing for malformed or unexpected JSON', () => {
    expect(parseSystemProfilerApps('')).toEqual([]);
    expect(parseSystemProfilerApps('{"SPApplicationsDataType": {}}')).toEqual([]);
    expect(parseSystemProfilerApps('{"SPApplicationsDataType": [null, 1, {"version": "1"}]}')).toEqual([]);
  });
});
