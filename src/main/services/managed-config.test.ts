import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManagedConfig, managedConfigPath, parseAgentFlags, parseManagedConfig } from './managed-config';
import { createSettingsService } from './settings.service';
import { createJsonSettingsStore } from './settings-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const SECRET = 'dse_0123456789abcdefghij';

describe('managedConfigPath', () => {
  it('is the system-wide path of each OS', () => {
    expect(managedConfigPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe(
      'C:\\ProgramData\\Deskside\\config.json',
    );
    expect(managedConfigPath('darwin', {})).toBe('/Library/Application Support/Deskside/config.json');
    expect(managedConfigPath('linux', {})).toBe('/etc/deskside/config.json');
  });
  it('is overridden by DESKSIDE_AGENT_CONFIG', () => {
    expect(managedConfigPath('linux', { DESKSIDE_AGENT_CONFIG: '/tmp/x.json' })).toBe('/tmp/x.json');
  });
});

describe('loadManagedConfig', () => {
  const load = (argv: string[] = [], file = join(dir, 'config.json')) =>
    loadManagedConfig({ platform: 'linux', argv, env: { DESKSIDE_AGENT_CONFIG: file } });

  it('reads every key of a valid file', async () => {
    const file = join(dir, 'config.json');
    const config = {
      serverUrl: 'https://help.example.com',
      enrollSecret: SECRET,
      groups: ['laptops', 'finance'],
      branding: {
        name: 'Acme IT',
        supportEmail: 'it@acme.test',
        supportPhone: '+1 555',
        supportUrl: 'https://it.acme.test',
        iconPath: '/opt/acme.png',
      },
      links: [{ label: 'Portal', url: 'https://portal.acme.test' }],
      privacy: { redact: true, excludedSections: ['processes'], allowScreenshots: false },
      startAtLogin: true,
    };
    await writeFile(file, JSON.stringify(config));
    const loaded = load();
    expect(loaded.errors).toEqual([]);
    expect(loaded.path).toBe(file);
    expect(loaded.config).toEqual({ ...config, sources: [file] });
  });

  it('is empty without errors when the file does not exist', () => {
    const loaded = load([], join(dir, 'missing.json'));
    expect(loaded.config).toEqual({ sources: [] });
    expect(loaded.errors).toEqual([]);
  });

  it('names each bad key and keeps the good ones; a broken file never throws', async () => {
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        serverUrl: 'ftp://nope',
        enrollSecret: 'short',
        groups: ['ok'],
        privacy: { excludedSections: ['kitchen'] },
        colour: 'blue',
      }),
    );
    const loaded = load();
    expect(loaded.config).toEqual({ groups: ['ok'], sources: [file] });
    expect(loaded.errors).toHaveLength(4);
    expect(loaded.errors.join('\n')).toMatch(/serverUrl: must be an http/);
    expect(loaded.errors.join('\n')).toMatch(/enrollSecret: must be at least 16/);
    expect(loaded.errors.join('\n')).toMatch(/privacy\.excludedSections\.0/);
    expect(loaded.errors.join('\n')).toMatch(/unknown key "colour"/);

    await writeFile(file, '{ not json');
    expect(load().errors[0]).toMatch(/not valid JSON/);
    await writeFile(file, '[1,2]');
    expect(load().errors[0]).toMatch(/must be a JSON object/);
  });

  it('flags win over the file, --group repeats, --config names another file', async () => {
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({ serverUrl: 'https://file.example.com', enrollSecret: SECRET, groups: ['file'] }),
    );
    const loaded = load(['--server-url', 'https://flag.example.com', '--group', 'a', '--group=b']);
    expect(loaded.config.serverUrl).toBe('https://flag.example.com');
    expect(loaded.config.enrollSecret).toBe(SECRET);
    expect(loaded.config.groups).toEqual(['a', 'b']);
    expect(loaded.config.sources).toEqual([file, 'command line']);

    const other = join(dir, 'other.json');
    await writeFile(other, JSON.stringify({ serverUrl: 'https://other.example.com' }));
    expect(load(['--config', other]).config.serverUrl).toBe('https://other.example.com');
    expect(load(['--config', join(dir, 'gone.json')]).errors[0]).toMatch(/cannot read \(ENOENT\)/);
    expect(load(['--server-url', 'nope']).errors).toEqual(['--server-url: must be an http:// or https:// URL']);
    expect(parseAgentFlags(['--enroll-secret']).errors).toEqual(['--enroll-secret: needs a value']);
  });

  it('precedence overall: flags > system file > user settings > defaults', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ privacy: { redact: true } }));
    const store = createJsonSettingsStore(join(dir, 'settings.json'));
    store.set('serverUrl', 'https://user.example.com');
    store.set('privacy', { redact: false, allowScreenshots: false });
    const fromFile = createSettingsService(store, load().config).effective();
    expect(fromFile.serverUrl).toBe('https://user.example.com');
    expect(fromFile.privacy).toEqual({ redact: true, allowScreenshots: false, excludedSections: [] });
    expect(fromFile.notifications).toBe(true);
    const withFlag = createSettingsService(
      store,
      load(['--server-url', 'https://flag.example.com']).config,
    ).effective();
    expect(withFlag.serverUrl).toBe('https://flag.example.com');
  });
});

describe('commandPolicy', () => {
  it('takes a policy per risk level; fixes can never be unattended, unknown levels are named', () => {
    expect(parseManagedConfig({ commandPolicy: { reads: 'unattended', changes: 'refuse' } }, 'f')).toEqual({
      config: { commandPolicy: { reads: 'unattended', changes: 'refuse' } },
      errors: [],
    });
    const bad = parseManagedConfig({ commandPolicy: { changes: 'unattended' }, startAtLogin: true }, 'f');
    expect(bad.config).toEqual({ startAtLogin: true });
    expect(bad.errors).toEqual([expect.stringMatching(/^f: commandPolicy\.changes: /)]);
    expect(parseManagedConfig({ commandPolicy: { writes: 'ask' } }, 'f').errors).toHaveLength(1);
  });
});
