import { homedir } from 'node:os';
import { app, desktopCapturer, Notification, screen, shell } from 'electron';
import { isAllowedExternalUrl } from '../../shared/external-url';
import type { AgentLogger, AgentNotification } from '../services/agent-platform';
import { autostartFile, writeAutostartEntry } from '../services/autostart-linux';

/*
 * The OS-facing parts of the AgentPlatform in Electron: notifications, screen capture, opening
 * links, start at login. Each is small; the decisions they depend on live in tested services.
 */

/** Opens a URL in the default browser or mail client, only if it is https: or mailto:. */
export async function openExternalSafely(url: string, logger: AgentLogger): Promise<void> {
  if (!isAllowedExternalUrl(url)) {
    logger.warn('refused to open a URL outside the allow-list', { url: url.slice(0, 200) });
    throw new Error('Only https: and mailto: links can be opened.');
  }
  await shell.openExternal(url, { activate: true });
}

/** Desktop notifications whose click opens the window on the ticket. */
export function createNotifier(iconPath: string | undefined, onClick: (notification: AgentNotification) => void) {
  // Electron drops click handlers of notifications that were garbage-collected; keep them until closed.
  const live = new Set<Notification>();
  return (notification: AgentNotification): void => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({
      title: notification.title,
      body: notification.body,
      icon: iconPath,
      silent: false,
    });
    live.add(shown);
    shown.on('click', () => onClick(notification));
    shown.on('close', () => live.delete(shown));
    shown.on('failed', () => live.delete(shown));
    shown.show();
    setTimeout(() => live.delete(shown), 10 * 60_000).unref();
  };
}

/** PNG of the primary display at its full pixel size. */
export async function capturePrimaryScreen(): Promise<{ png: Uint8Array; width: number; height: number }> {
  const display = screen.getPrimaryDisplay();
  const width = Math.round(display.size.width * display.scaleFactor);
  const height = Math.round(display.size.height * display.scaleFactor);
  const sources = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width, height } });
  const source = sources.find((s) => s.display_id === String(display.id)) ?? sources[0];
  if (!source || source.thumbnail.isEmpty())
    throw new Error('The screen could not be captured (on macOS, allow Screen Recording for Deskside).');
  const size = source.thumbnail.getSize();
  return { png: new Uint8Array(source.thumbnail.toPNG()), width: size.width, height: size.height };
}

/**
 * Start at login: the OS login items on Windows and macOS, an XDG autostart entry on Linux. Only
 * installed builds register themselves: a development run (electron .) would point the OS at
 * node_modules/electron, so there the request is only logged.
 */
export function createStartAtLogin(options: { appName: string; logger: AgentLogger }) {
  return (enabled: boolean): void => {
    if (!app.isPackaged) {
      options.logger.info('start at login is applied by installed builds only', { enabled });
      return;
    }
    if (process.platform === 'linux') {
      // An AppImage runs from a temporary mount; $APPIMAGE is the file the user actually has.
      const executable = process.env.APPIMAGE ?? process.execPath;
      const file = autostartFile(process.env, homedir());
      void writeAutostartEntry(file, { name: options.appName, executable, args: ['--hidden'], enabled }).then(
        () => options.logger.info('autostart entry written', { file, enabled }),
        (error: unknown) => options.logger.error('autostart entry could not be written', { file, error }),
      );
      return;
    }
    app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'], name: options.appName });
  };
}
