import { BrowserWindow, desktopCapturer, screen, type Session } from 'electron';
import type { ShareSource } from '../../shared/ipc/contract';
import type { AgentLogger, AgentPlatform } from '../services/agent-platform';
import { isAppUrl } from '../services/window-policy';

/*
 * Screen share's Electron glue (issue 13), thin on purpose: everything else (consent, signaling, WebRTC) is
 * in share-session.service.ts and the renderer, tested without Electron. Here:
 *
 *   - the sources the employee chooses from (desktopCapturer: screens and windows, with thumbnails);
 *   - the display-media handler: the window's getDisplayMedia gets exactly the source the employee chose
 *     in the consent prompt, only while a share is allowed, only for the app's own page; anything else is
 *     refused (no source, another page, no share);
 *   - the technician's pointer: a small always-on-top, click-through, unfocusable window moved over the
 *     shared screen (for a shared window, over the display it was on when the share began: its own bounds
 *     are not known to desktopCapturer).
 *
 * Not run on this machine (no Electron binary): checked by the type checker only.
 */

const POINTER_SIZE = 28;
// An SVG page with no script and no style sheet: a red ring with a white edge, transparent elsewhere.
const POINTER_PAGE =
  'data:image/svg+xml,' +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${POINTER_SIZE}" height="${POINTER_SIZE}">` +
      `<circle cx="14" cy="14" r="10" fill="none" stroke="white" stroke-width="6"/>` +
      `<circle cx="14" cy="14" r="10" fill="none" stroke="#d32f2f" stroke-width="3"/></svg>`,
  );

export function createScreenShareGlue(
  session: Session,
  logger: AgentLogger,
): NonNullable<AgentPlatform['screenShare']> {
  let chosen: string | null = null;
  let displayId: string | null = null;
  let overlay: BrowserWindow | null = null;

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
        if (!source) {
          logger.warn('screen share: the chosen source is gone', { source: wanted });
          return callback({});
        }
        displayId = source.display_id || displayId;
        callback({ video: source });
      })
      .catch((error: unknown) => {
        logger.error('screen share: desktopCapturer failed', { error: String(error) });
        callback({});
      });
  });

  const pointerWindow = (): BrowserWindow => {
    if (overlay && !overlay.isDestroyed()) return overlay;
    overlay = new BrowserWindow({
      width: POINTER_SIZE,
      height: POINTER_SIZE,
      frame: false,
      transparent: true,
      resizable: false,
      movable: false,
      focusable: false,
      skipTaskbar: true,
      hasShadow: false,
      show: false,
      alwaysOnTop: true,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
    });
    overlay.setAlwaysOnTop(true, 'screen-saver');
    overlay.setIgnoreMouseEvents(true);
    overlay.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    void overlay.loadURL(POINTER_PAGE);
    return overlay;
  };

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
      if (sourceId === null) {
        displayId = null;
        if (overlay && !overlay.isDestroyed()) overlay.destroy();
        overlay = null;
      }
    },
    pointer(at) {
      if (!chosen) return;
      if (at === null) {
        if (overlay && !overlay.isDestroyed()) overlay.hide();
        return;
      }
      const display = screen.getAllDisplays().find((d) => String(d.id) === displayId) ?? screen.getPrimaryDisplay();
      const { x, y, width, height } = display.bounds;
      const window = pointerWindow();
      window.setPosition(
        Math.round(x + at.x * width - POINTER_SIZE / 2),
        Math.round(y + at.y * height - POINTER_SIZE / 2),
      );
      if (!window.isVisible()) window.showInactive();
    },
  };
}
