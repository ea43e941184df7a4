import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  autostartDesktopEntry,
  autostartFile,
  quoteExecArg,
  writeAutostartEntry,
  xdgConfigHome,
} from './autostart-linux';

function keys(contents: string): Record<string, string> {
  return Object.fromEntries(
    contents
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('autostart location', () => {
  it('follows XDG_CONFIG_HOME when absolute, ~/.config otherwise', () => {
    expect(xdgConfigHome({ XDG_CONFIG_HOME: '/custom/cfg' }, '/home/ann')).toBe('/custom/cfg');
    expect(xdgConfigHome({ XDG_CONFIG_HOME: 'relative/cfg' }, '/home/ann')).toBe('/home/ann/.config');
    expect(xdgConfigHome({}, '/home/ann')).toBe('/home/ann/.config');
    expect(autostartFile({}, '/home/ann')).toBe('/home/ann/.config/autostart/deskside.desktop');
  });
});

describe('desktop entry', () => {
  it('starts the app hidden in the tray at login', () => {
    const text = autostartDesktopEntry({
      name: 'Deskside',
      executable: '/opt/Deskside/deskside',
      args: ['--hidden'],
      enabled: true,
    });
    expect(text.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(keys(text)).toMatchObject({
      Type: 'Application',
      Name: 'Deskside',
      Exec: '/opt/Deskside/deskside --hidden',
      Terminal: 'false',
      Hidden: 'false',
      'X-GNOME-Autostart-enabled': 'true',
    });
  });

  it('switches a system-wide entry off with Hidden=true', () => {
    const k = keys(autostartDesktopEntry({ name: 'Deskside', executable: '/usr/bin/deskside', enabled: false }));
    expect(k.Hidden).toBe('true');
    expect(k['X-GNOME-Autostart-enabled']).toBe('false');
  });

  it('quotes Exec arguments per the Desktop Entry Specification', () => {
    expect(quoteExecArg('/opt/Deskside/deskside')).toBe('/opt/Deskside/deskside');
    expect(quoteExecArg('/home/ann/Apps/Deskside 1.0.AppImage')).toBe('"/home/ann/Apps/Deskside 1.0.AppImage"');
    expect(quoteExecArg('a"b$c`d\\e')).toBe('"a\\"b\\$c\\`d\\\\e"');
    expect(quoteExecArg('100%')).toBe('100%%');
    expect(quoteExecArg('')).toBe('""');
  });

  it('keeps every value on one line', () => {
    const text = autostartDesktopEntry({
      name: 'Desk\nExec=/bin/evil',
      executable: '/usr/bin/deskside',
      enabled: true,
    });
    expect(text.split('\n').filter((l) => l.startsWith('Exec='))).toEqual(['Exec=/usr/bin/deskside']);
  });
});

describe('writeAutostartEntry', () => {
  it('creates the folder and replaces the file atomically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deskside-autostart-'));
    try {
      const file = autostartFile({ XDG_CONFIG_HOME: join(dir, 'cfg') }, '/nowhere');
      await writeAutostartEntry(file, { name: 'Deskside', executable: '/usr/bin/deskside', enabled: true });
      await writeAutostartEntry(file, { name: 'Deskside', executable: '/usr/bin/deskside', enabled: false });
      expect(keys(await readFile(file, 'utf8')).Hidden).toBe('true');
      expect(await readdir(join(dir, 'cfg', 'autostart'))).toEqual(['deskside.desktop']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
