import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';

/*
 * Start at login on Linux: an XDG autostart entry (freedesktop.org Desktop Application Autostart
 * Specification). The deb package installs a system-wide /etc/xdg/autostart/deskside.desktop; a file
 * of the same name in the user's ~/.config/autostart overrides it, so "off" writes Hidden=true there
 * instead of deleting anything (deleting would let the system entry start the app again).
 */

/** The file name shared by the system-wide and the per-user entry. */
export const AUTOSTART_FILE_NAME = 'deskside.desktop';

/** $XDG_CONFIG_HOME when it is an absolute path (the spec ignores relative ones), else ~/.config. */
export function xdgConfigHome(env: Record<string, string | undefined>, homeDir: string): string {
  const configured = env.XDG_CONFIG_HOME;
  return configured && isAbsolute(configured) ? configured : join(homeDir, '.config');
}

/** Where the per-user autostart entry lives. */
export function autostartFile(env: Record<string, string | undefined>, homeDir: string): string {
  return join(xdgConfigHome(env, homeDir), 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * Quotes one Exec argument as the Desktop Entry Specification asks: arguments with reserved
 * characters go in double quotes with ", `, $ and \ escaped; a literal % is written %%.
 */
export function quoteExecArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  if (percent.length > 0 && !/[\s"'\\><~|&;$*?#()`=]/.test(percent)) return percent;
  return `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** Values in a desktop entry are one line: newlines and control characters are dropped. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
}

/** What the entry starts and how it is named. */
export interface AutostartEntry {
  name: string;
  /** Absolute path of the executable (for an AppImage: $APPIMAGE, not the mounted binary). */
  executable: string;
  args?: readonly string[];
  comment?: string;
  icon?: string;
  /** false writes Hidden=true, which switches a system-wide entry of the same name off for this user. */
  enabled: boolean;
}

/** The contents of the .desktop file. */
export function autostartDesktopEntry(entry: AutostartEntry): string {
  const exec = [entry.executable, ...(entry.args ?? [])].map(quoteExecArg).join(' ');
  const lines = [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${oneLine(entry.name)}`,
    `Comment=${oneLine(entry.comment ?? 'Help desk and computer health check')}`,
    `Exec=${oneLine(exec)}`,
    ...(entry.icon ? [`Icon=${oneLine(entry.icon)}`] : []),
    'Terminal=false',
    'Categories=Utility;',
    'NoDisplay=false',
    `Hidden=${entry.enabled ? 'false' : 'true'}`,
    `X-GNOME-Autostart-enabled=${entry.enabled ? 'true' : 'false'}`,
    // Give the panel a moment to come up so the tray icon has somewhere to go.
    'X-GNOME-Autostart-Delay=5',
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes the entry atomically (temporary file, then rename) and returns its path. */
export async function writeAutostartEntry(file: string, entry: AutostartEntry): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, autostartDesktopEntry(entry), { mode: 0o644 });
  await rename(temporary, file);
  return file;
}
