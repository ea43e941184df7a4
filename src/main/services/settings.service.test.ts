import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcError } from '../../shared/ipc/ipc-error';
import { createSettingsService, DEFAULT_SETTINGS, managedKeys } from './settings.service';
import { createJsonSettingsStore } from './settings-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-settings-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('settings service', () => {
  it('lists managed keys and refuses to change them', () => {
    const store = createJsonSettingsStore(join(dir, 'settings.json'));
    const managed = {
      serverUrl: 'https://it.example.com',
      privacy: { redact: true },
      sources: ['/etc/deskside/config.json'],
    };
    expect(managedKeys(managed)).toEqual(['serverUrl', 'privacy.redact']);
    const service = createSettingsService(store, managed);
    expect(service.view().managed).toEqual(['serverUrl', 'privacy.redact']);
    expect(() => service.set({ serverUrl: 'https://mine.example.com' })).toThrowError(IpcError);
    try {
      service.set({ privacy: { redact: false } });
      expect.unreachable();
    } catch (error) {
      expect((error as IpcError).code).toBe('managed');
      expect((error as IpcError).message).toMatch(/privacy\.redact/);
    }
    // Nothing was written by the refused changes.
    expect(store.get('serverUrl')).toBeUndefined();
    expect(store.get('privacy')).toBeUndefined();
  });

  it('applies unmanaged changes, merges privacy keys and reports before/after', () => {
    const store = createJsonSettingsStore(join(dir, 'settings.json'));
    const changes: Array<[boolean, boolean]> = [];
    const service = createSettingsService(store, { sources: [] }, (before, after) =>
      changes.push([before.startAtLogin, after.startAtLogin]),
    );
    expect(service.effective()).toEqual(DEFAULT_SETTINGS);
    service.set({ startAtLogin: false, privacy: { excludedSections: ['processes'] } });
    const view = service.set({ privacy: { allowScreenshots: false } });
    expect(view.effective.startAtLogin).toBe(false);
    expect(view.effective.privacy).toEqual({ redact: false, excludedSections: ['processes'], allowScreenshots: false });
    expect(changes).toEqual([
      [true, false],
      [false, false],
    ]);
    expect(() => service.set({ serverUrl: 'file:///etc/passwd' })).toThrow(/http/);
  });

  it('the JSON store writes atomically and survives a corrupt file', async () => {
    const file = join(dir, 'settings.json');
    const store = createJsonSettingsStore(file);
    store.set('privacy.redact', true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ privacy: { redact: true } });
    expect(createJsonSettingsStore(file).get('privacy')).toEqual({ redact: true });
    expect((await readdir(dir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    await writeFile(file, '{ torn');
    const recovered = createJsonSettingsStore(file);
    expect(recovered.get('privacy')).toBeUndefined();
    recovered.set('notifications', false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ notifications: false });
  });
});

describe('agent data folder', () => {
  it('follows each OS convention; DESKSIDE_AGENT_DATA_DIR overrides it', async () => {
    const { defaultAgentDataDir } = await import('./headless-agent');
    expect(defaultAgentDataDir('linux', {}, '/home/dana')).toBe('/home/dana/.local/share/deskside-agent');
    expect(defaultAgentDataDir('linux', { XDG_DATA_HOME: '/data' }, '/home/dana')).toBe('/data/deskside-agent');
    expect(defaultAgentDataDir('darwin', {}, '/Users/dana')).toBe(
      '/Users/dana/Library/Application Support/Deskside Agent',
    );
    expect(defaultAgentDataDir('win32', { APPDATA: 'C:\\Users\\dana\\AppData\\Roaming' }, 'C:\\Users\\dana')).toMatch(
      /Roaming.Deskside Agent$/,
    );
    expect(defaultAgentDataDir('linux', { DESKSIDE_AGENT_DATA_DIR: '/tmp/agent' }, '/home/dana')).toBe('/tmp/agent');
  });
});
