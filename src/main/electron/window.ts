import { BrowserWindow } from 'electron';
import type { Route } from '../../shared/ipc/contract';
import type { AgentLogger } from '../services/agent-platform';
import { APP_ENTRY_URL, secureWebPreferences } from '../services/window-policy';

/*
 * The employee window: one BrowserWindow, created once and hidden (not destroyed) when closed, so
 * reopening it from the tray is instant and the renderer keeps its state. It is locked down by
 * window-policy (isolation, sandbox, no Node, devtools only unpackaged) and hardening.ts.
 */

/** Options for the main window. */
export interface MainWindowOptions {
  title: string;
  preloadPath: string;
  iconPath?: string;
  isPackaged: boolean;
  /** Keep the window hidden at start (autostart). */
  startHidden: boolean;
  logger: AgentLogger;
  /** Whether the app is quitting: then close really closes. */
  isQuitting: () => boolean;
}

/** Shows, hides and routes the one agent window. */
export interface MainWindow {
  readonly window: BrowserWindow;
  /** Shows and focuses the window, optionally on a screen (sent as a `navigate` event once loaded). */
  show(route?: Route): void;
  hide(): void;
}

/** Creates the window and starts loading the renderer from app://deskside/. */
export function createMainWindow(options: MainWindowOptions): MainWindow {
  const window = new BrowserWindow({
    width: 960,
    height: 680,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: options.title,
    icon: options.iconPath,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath, options.isPackaged),
  });
  let loaded = false;
  let pendingRoute: Route | null = null;

  const sendRoute = () => {
    if (loaded && pendingRoute && !window.isDestroyed()) {
      window.webContents.send('navigate', pendingRoute);
      pendingRoute = null;
    }
  };
  const show = (route?: Route) => {
    if (window.isDestroyed()) return;
    if (route) pendingRoute = route;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    sendRoute();
  };

  window.once('ready-to-show', () => {
    if (!options.startHidden) show();
  });
  window.webContents.on('did-finish-load', () => {
    loaded = true;
    sendRoute();
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    options.logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason !== 'clean-exit') void window.loadURL(APP_ENTRY_URL);
  });
  window.webContents.on('did-fail-load', (_event, code, description, url) =>
    options.logger.error('renderer failed to load', { code, description, url }),
  );
  window.on('close', (event) => {
    // Closing the window keeps the agent in the tray; only Quit (or the OS ending the session) quits.
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });

  void window
    .loadURL(APP_ENTRY_URL)
    .catch((error: unknown) => options.logger.error('loading the renderer failed', { error }));
  return { window, show, hide: () => window.hide() };
}
