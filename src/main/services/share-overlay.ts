import { SHARE_OVERLAY_BURST, SHARE_OVERLAY_RATE } from '../../shared/remote/share-limits';
import { parseShareOverlayMessage, type ShareOverlayMessage } from '../../shared/remote/share-overlay';

/*
 * The screen-share overlay's decisions (issue 13), without Electron so they are tested in Node; the glue in
 * src/main/electron/screen-share.ts only applies them:
 *
 *   - the gate: each message of the console's overlay channel is validated (share-overlay.ts) and counted
 *     against a token bucket (SHARE_OVERLAY_RATE per second, SHARE_OVERLAY_BURST at once); anything invalid,
 *     unknown or too fast is dropped, never drawn;
 *   - where the overlay goes: over the shared screen's display, or for a shared window, over that window's
 *     display (and over the window itself when the host can tell where it is).
 */

export interface OverlayGate {
  /** The message to draw, or null: dropped (invalid, unknown, or over the rate). */
  accept(data: unknown): ShareOverlayMessage | null;
  /** Messages dropped so far (invalid or too fast). */
  dropped(): { invalid: number; tooFast: number };
}

export function createOverlayGate(options: { now: () => number; rate?: number; burst?: number }): OverlayGate {
  const rate = options.rate ?? SHARE_OVERLAY_RATE;
  const burst = options.burst ?? SHARE_OVERLAY_BURST;
  let tokens = burst;
  let at = options.now();
  let invalid = 0;
  let tooFast = 0;
  return {
    accept(data) {
      const now = options.now();
      tokens = Math.min(burst, tokens + ((now - at) / 1000) * rate);
      at = now;
      if (tokens < 1) {
        tooFast++;
        return null;
      }
      tokens -= 1;
      const message = parseShareOverlayMessage(data);
      if (!message) invalid++;
      return message;
    },
    dropped: () => ({ invalid, tooFast }),
  };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A display as the host describes it (Electron's screen.getAllDisplays(): id and bounds in screen points). */
export interface OverlayDisplay {
  id: string;
  bounds: Rect;
}

/** What is shared: desktopCapturer's source id ("screen:…" or "window:…") and its display_id ("" when unknown). */
export interface SharedSource {
  id: string;
  displayId: string;
  /** A shared window's bounds on the desktop, when the host can tell them. */
  windowBounds?: Rect | null;
}

/**
 * Where the overlay window goes: the bounds it covers (screen points), on which display, and whether the
 * picture's frame is known exactly (`exact: false`: a shared window whose position the host cannot tell; the
 * overlay covers its display and the drawing is placed relative to that display, so it may be off).
 */
export function planOverlay(
  source: SharedSource,
  displays: readonly OverlayDisplay[],
  primary: OverlayDisplay,
): { bounds: Rect; displayId: string; exact: boolean } {
  if (source.id.startsWith('screen:')) {
    // display_id names the display on every OS where Electron knows it; otherwise "screen:<id>:0" may.
    const fromId = /^screen:(\d+):/.exec(source.id)?.[1];
    const found =
      displays.find((d) => source.displayId !== '' && d.id === source.displayId) ??
      displays.find((d) => d.id === fromId) ??
      null;
    const display = found ?? primary;
    return { bounds: { ...display.bounds }, displayId: display.id, exact: found !== null || displays.length <= 1 };
  }
  const windowBounds = source.windowBounds ?? null;
  if (windowBounds && windowBounds.width > 0 && windowBounds.height > 0) {
    const display = mostOverlapping(windowBounds, displays) ?? primary;
    return { bounds: { ...windowBounds }, displayId: display.id, exact: true };
  }
  const display = displays.find((d) => source.displayId !== '' && d.id === source.displayId) ?? primary;
  return { bounds: { ...display.bounds }, displayId: display.id, exact: false };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The display a rectangle is mostly on (like Electron's screen.getDisplayMatching); null: on none. */
export function mostOverlapping(rect: Rect, displays: readonly OverlayDisplay[]): OverlayDisplay | null {
  let best: OverlayDisplay | null = null;
  let area = 0;
  for (const d of displays) {
    const a = overlap(rect, d.bounds);
    if (a > area) {
      area = a;
      best = d;
    }
  }
  return best;
}
