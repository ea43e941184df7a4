import { BrowserWindow, desktopCapturer, screen, type Session } from 'electron';
import type { ShareSource } from '../../shared/ipc/contract';
import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';
import type { AgentLogger, AgentPlatform } from '../services/agent-platform';
import { createProcessRunner } from '../actions/process-runner';
import { planOverlay, type SharedSource } from '../services/share-overlay';
import { x11WindowBounds } from '../services/window-bounds';
import { APP_OVERLAY_URL, isAppUrl, secureWebPreferences } from '../services/window-policy';

/*
 * Screen share's Electron glue (issue 13), thin on purpose: everything else (consent, signaling, WebRTC, which
 * display, validating and rate-bounding the overlay's messages) is in share-session.service.ts,
 * share-overlay.ts and the renderer, tested without Electron. Here:
 *
 *   - the sources the employee chooses from (desktopCapturer: screens and windows, with thumbnails);
 *   - the display-media handler: the window's getDisplayMedia gets exactly the source the employee chose
 *     in the consent prompt, only while a share is allowed, only for the app's own page; anything else is
 *     refused (no source, another page, no share);
 *   - the overlay: when the capture begins, a transparent, frameless, always-on-top, click-through and
 *     unfocusable window over the shared screen (planOverlay: for a shared window, its display) showing
 *     app://deskside/overlay.html, which draws the technician's pointer and annotations; each validated
 *     message goes to it as a `share:overlay` event. It is closed when the share ends. It is kept out of the
 *     capture itself where the OS allows (setContentProtection: Windows, macOS), so the technician does not
 *     see the drawing twice.
 *
 * Not run on this machine (no Electron binary): checked by the type checker and electron.fake.ts only.
 */

/** Messages kept for the overlay while its page loads (the first strokes of a session). */
const QUEUE_MAX = 200;

export interface ScreenShareGlueOptions {
  /** The preload the overlay's page gets (the same typed bridge; main answers no invoke from it). */
  preloadPath: string;
  isPackaged: boolean;
}

export function createScreenShareGlue(
  session: Session,
  logger: AgentLogger,
  options: ScreenShareGlueOptions,
): NonNullable<AgentPlatform['screenShare']> {
  let chosen: string | null = null;
  let overlay: BrowserWindow | null = null;
  let loaded = false;
  let queue: ShareOverlayMessage[] = [];

  const closeOverlay = () => {
    if (overlay && !overlay.isDestroyed()) overlay.destroy();
    overlay = null;
    loaded = false;
    queue = [];
  };

  // A shared window's place, so the overlay covers it: X11 only (xwininfo), in pixels, turned into the screen
  // points Electron's windows use. Null elsewhere; the overlay then covers the window's display (planOverlay).
  const runner = createProcessRunner();
  const sharedWindowBounds = async (sourceId: string) => {
    if (process.platform !== 'linux' || !sourceId.startsWith('window:')) return null;
    const pixels = await x11WindowBounds(sourceId, process.env.DISPLAY, runner).catch(() => null);
    if (!pixels) return null;
    const scale = screen.getPrimaryDisplay().scaleFactor || 1;
    return {
      x: Math.round(pixels.x / scale),
      y: Math.round(pixels.y / scale),
      width: Math.round(pixels.width / scale),
      height: Math.round(pixels.height / scale),
    };
  };

  const openOverlay = (source: SharedSource) => {
    if (overlay && !overlay.isDestroyed()) return;
    const displays = screen.getAllDisplays().map((d) => ({ id: String(d.id), bounds: d.bounds }));
    const primary = screen.getPrimaryDisplay();
    const plan = planOverlay(source, displays, { id: String(primary.id), bounds: primary.bounds });
    if (!plan.exact) logger.warn('screen share: the overlay covers a display the shared picture may not match', plan);
    const window = new BrowserWindow({
      ...plan.bounds,
      title: 'Deskside: technician pointer',
      frame: false,
      transparent: true,
      backgroundColor: '#00000000',
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      focusable: false,
      skipTaskbar: true,
      hasShadow: false,
      enableLargerThanScreen: true,
      show: false,
      alwaysOnTop: true,
      webPreferences: secureWebPreferences(options.preloadPath, options.isPackaged),
    });
    window.setAlwaysOnTop(true, 'screen-saver');
    window.setIgnoreMouseEvents(true, { forward: true });
    window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    window.setContentProtection(true);
    window.setBounds(plan.bounds);
    window.webContents.once('did-finish-load', () => {
      if (window.isDestroyed()) return;
      loaded = true;
      for (const message of queue.splice(0)) window.webContents.send('share:overlay', message);
      window.showInactive();
    });
    void window
      .loadURL(APP_OVERLAY_URL)
      .catch((error: unknown) => logger.error('screen share: the overlay did not load', { error: String(error) }));
    overlay = window;
  };

  session.setDisplayMediaRequestHandler((request, callback) => {
    const origin = request.securityOrigin;
    if (!chosen || !isAppUrl(origin.endsWith('/') ? origin : `${origin}/`)) {
      logger.warn('screen share: a capture nobody allowed was refused', { origin });
      return callback({});
    }
    const wanted = chosen;
    desktopCapturer
      .getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } })
      .then((sources) => {
        const source = sources.find((s) => s.id === wanted);
        if (!source || chosen !== wanted) {
          logger.warn('screen share: the chosen source is gone', { source: wanted });
          return callback({});
        }
        callback({ video: source });
        void sharedWindowBounds(source.id).then((windowBounds) => {
          if (chosen === wanted) openOverlay({ id: source.id, displayId: source.display_id, windowBounds });
        });
      })
      .catch((error: unknown) => {
        logger.error('screen share: desktopCapturer failed', { error: String(error) });
        callback({});
      });
  });

  return {
    async sources(): Promise<ShareSource[]> {
      const sources = await desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: { width: 320, height: 180 },
      });
      return sources.map((s) => ({
        id: s.id,
        name: s.name,
        kind: s.id.startsWith('screen:') ? 'screen' : 'window',
        thumbnail: s.thumbnail.isEmpty() ? null : s.thumbnail.toDataURL(),
      }));
    },
    choose(sourceId) {
      chosen = sourceId;
      if (sourceId === null) closeOverlay();
    },
    overlay(message) {
      if (!chosen || !overlay || overlay.isDestroyed()) return;
      if (loaded) overlay.webContents.send('share:overlay', message);
      else if (queue.length < QUEUE_MAX) queue.push(message);
    },
  };
}
