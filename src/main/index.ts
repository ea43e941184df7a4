import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, Menu, session } from 'electron';
import type { IpcEventPayload, Route } from '../shared/ipc/contract';
import { createAgentCore } from './services/agent-core';
import type { AgentCore, AgentLogger, AgentPlatform } from './services/agent-platform';
import { loadManagedConfig } from './services/managed-config';
import { createFileLogger } from './electron/file-logger';
import { hardenApp } from './electron/hardening';
import { registerIpc } from './electron/ipc';
import { parseLaunchOptions, type LaunchOptions } from './electron/launch-options';
import {
  capturePrimaryScreen,
  createNotifier,
  createStartAtLogin,
  openExternalSafely,
} from './electron/platform-adapters';
import { enforceCspHeaders, registerAppScheme, serveRenderer } from './electron/protocol';
import { createElectronSettingsStore } from './electron/settings-store';
import { utilitySnapshotProcess } from './electron/snapshot-process';
import { createTray, type AgentTray } from './electron/tray';
import { createMainWindow, type MainWindow } from './electron/window';
import { createScreenShareGlue } from './electron/screen-share';

/*
 * The composition root of the tray agent. Importing this file only bootstraps the app lifecycle
 * (single-instance lock, scheme registration, handlers); everything else is built by hand in
 * start() once Electron is ready: logger → managed config → settings → core → IPC → window → tray.
 * Closing the window hides it; the agent quits only from the tray menu or when the OS ends the session.
 */

const APP_ID = 'org.deskside.agent';
const PRODUCT_NAME = 'Deskside';
/** The app's folder (dist/main/main.js is two levels down); inside app.asar when packaged. */
const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Running {
  core: AgentCore;
  window: MainWindow;
  tray: AgentTray;
  logger: AgentLogger;
  disposeIpc: () => void;
}

let running: Running | null = null;
let quitting = false;

function bootstrap(): void {
  const launch = parseLaunchOptions(process.argv);
  app.setName(PRODUCT_NAME);
  if (launch.dataDir) app.setPath('userData', resolve(launch.dataDir));
  registerAppScheme();
  // One agent per user profile: a second launch (Start menu, autostart twice) focuses the first.
  if (!app.requestSingleInstanceLock({ hidden: launch.hidden })) {
    app.quit();
    return;
  }
  app.setAppUserModelId(APP_ID);
  app.on('second-instance', (_event, _argv, _cwd, data) => {
    const hidden = typeof data === 'object' && data !== null && (data as { hidden?: unknown }).hidden === true;
    if (!hidden) running?.window.show();
  });
  app.on('activate', () => running?.window.show());
  // The agent lives in the tray: no window open is not a reason to quit.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => {
    quitting = true;
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !running) return;
    event.preventDefault();
    const { core, tray, disposeIpc, logger } = running;
    const deadline = new Promise((done) => setTimeout(done, 5000));
    void Promise.race([core.stop(), deadline])
      .catch((error: unknown) => logger.error('core.stop failed', { error }))
      .finally(() => {
        stopped = true;
        tray.destroy();
        disposeIpc();
        logger.info('stopped');
        app.quit();
      });
  });
  app
    .whenReady()
    .then(() => start(launch))
    .catch((error: unknown) => fatal(error));
}

function start(launch: LaunchOptions): void {
  const dataDir = app.getPath('userData');
  const logFile = join(app.getPath('logs'), 'deskside.log');
  const logger = createFileLogger({ file: logFile });
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  logger.info('starting', { version: app.getVersion(), platform: process.platform, packaged: app.isPackaged, dataDir });

  const managed = loadManagedConfig({ platform: process.platform, argv: process.argv, env: process.env });
  for (const error of managed.errors) logger.warn('managed configuration', { error });
  const brandName = managed.config.branding?.name ?? PRODUCT_NAME;
  const links = managed.config.links ?? [];
  const iconPath = join(APP_ROOT, 'assets', 'icon.png');
  const openExternal = (url: string) => openExternalSafely(url, logger);

  if (process.platform === 'darwin' && !app.isPackaged) app.dock?.hide(); // packaged: LSUIElement
  // No reload or devtools accelerators in installed builds. macOS keeps an Edit menu (invisible for
  // a menu-bar agent): without it Cmd+C / Cmd+V do nothing in the Get help form.
  if (process.platform === 'darwin') Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'editMenu' }]));
  else if (app.isPackaged) Menu.setApplicationMenu(null);
  const ses = session.defaultSession;
  hardenApp(ses, logger, (url) => void openExternal(url).catch(() => {}));
  enforceCspHeaders(ses);
  serveRenderer(ses, join(APP_ROOT, 'dist', 'renderer'));

  let window: MainWindow | null = null;
  const show = (route?: Route) => window?.show(route);
  const platform: AgentPlatform = {
    appName: brandName,
    version: app.getVersion(),
    dataDir,
    logFile,
    managedConfigPath: managed.path,
    managed: managed.config,
    settings: createElectronSettingsStore(dataDir),
    logger,
    notify: createNotifier(iconPath, (n) =>
      show(n.ticketId ? { screen: 'ticket', ticketId: n.ticketId } : { screen: 'tickets' }),
    ),
    captureScreen: () => captureWithoutOwnWindow(window),
    openExternal,
    setStartAtLogin: createStartAtLogin({ appName: brandName, logger }),
    // Screen share: the employee's choice of screen or window, the capture of exactly it, the overlay that
    // draws the technician's pointer and annotations over it.
    screenShare: createScreenShareGlue(ses, logger, {
      preloadPath: join(APP_ROOT, 'dist', 'preload', 'preload.cjs'),
      isPackaged: app.isPackaged,
    }),
  };
  // Snapshots are collected in a utility process (dist/main/snapshot-worker.js), so the tray agent's memory returns after each.
  const core = createAgentCore(platform, {
    // The tray app has a window: remote commands' and remote sessions' consent prompts are shown there.
    consentPrompt: true,
    snapshotProcess: utilitySnapshotProcess(fileURLToPath(new URL('./snapshot-worker.js', import.meta.url))),
  });
  // Handlers before the window exists, so the renderer's first invoke finds them.
  const disposeIpc = registerIpc({
    core,
    contents: () => (window && !window.window.isDestroyed() ? window.window.webContents : null),
    logger,
  });
  window = createMainWindow({
    title: brandName,
    preloadPath: join(APP_ROOT, 'dist', 'preload', 'preload.cjs'),
    iconPath,
    isPackaged: app.isPackaged,
    startHidden: launch.hidden,
    logger,
    isQuitting: () => quitting,
  });
  const tray = createTray({
    assetsDir: join(APP_ROOT, 'assets'),
    platform: process.platform,
    brandName,
    links,
    initialState: core.state(),
    navigate: (route) => show(route),
    openExternal: (url) => void openExternal(url).catch(() => {}),
    stopRemote: (sessionId) => void core.handlers['remote:stop']({ sessionId }).catch(() => {}),
    quit: () => {
      quitting = true;
      app.quit();
    },
  });
  core.onEvent((event, payload) => {
    if (event === 'state') tray.update(core.state());
    // A technician's request waits for the employee: bring the window (its consent prompt) forward.
    if (event === 'commands:pending' && (payload as IpcEventPayload<'commands:pending'>).prompts.length > 0) show();
    if (event === 'remote:session') {
      const { session } = payload as IpcEventPayload<'remote:session'>;
      // The tray says a session runs (icon, tooltip, Stop first in the menu); a request brings the window forward.
      tray.update(core.state(), session);
      if (session?.state === 'asking') show();
    }
    // A screen-share request: its prompt, then (while shared) the indicator with Stop, stay in front.
    if (event === 'share:session' && (payload as IpcEventPayload<'share:session'>).session) show();
  });
  running = { core, window, tray, logger, disposeIpc };
  void core.start().catch((error: unknown) => logger.error('core.start failed', { error }));
}

/** Screenshots show the problem, not our own form: hide the window while the screen is captured. */
async function captureWithoutOwnWindow(window: MainWindow | null) {
  const visible = window !== null && !window.window.isDestroyed() && window.window.isVisible();
  if (visible) {
    window.hide();
    await new Promise((done) => setTimeout(done, 300));
  }
  try {
    return await capturePrimaryScreen();
  } finally {
    if (visible) window.show();
  }
}

function fatal(error: unknown): void {
  process.stderr.write(
    `Deskside could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  app.exit(1);
}

bootstrap();
