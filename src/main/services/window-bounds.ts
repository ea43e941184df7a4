import type { ProcessRunner } from '../actions/process-runner';
import type { Rect } from './share-overlay';

/*
 * Where a shared window is on the desktop, so the technician's drawings land on it (the overlay covers the
 * window, not its whole display). Linux on X11 only: Electron names a window source `window:<XID>:0` there,
 * and `xwininfo -id XID` (x11-utils) tells its absolute position and size in pixels. Elsewhere (Wayland,
 * Windows, macOS) the answer is null and the overlay says it cannot place the drawing exactly.
 */

/** The X window id of a desktopCapturer source (`window:54525960:0`), or null for a screen or another form. */
export function x11WindowId(sourceId: string): string | null {
  const match = /^window:(\d{1,10}):\d+$/.exec(sourceId);
  return match ? match[1]! : null;
}

/** The window's rectangle from `xwininfo -id` output (absolute upper-left corner, width, height). */
export function parseXwininfo(text: string): Rect | null {
  const number = (label: string) => {
    const match = new RegExp(`^\\s*${label}:\\s+(-?\\d+)\\s*$`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  const x = number('Absolute upper-left X');
  const y = number('Absolute upper-left Y');
  const width = number('Width');
  const height = number('Height');
  if (x === null || y === null || width === null || height === null || width <= 0 || height <= 0) return null;
  return { x, y, width, height };
}

/** A shared window's bounds in pixels on an X11 display, or null when they cannot be told. */
export async function x11WindowBounds(
  sourceId: string,
  display: string | undefined,
  runner: ProcessRunner,
  timeoutMs = 2_000,
): Promise<Rect | null> {
  const id = x11WindowId(sourceId);
  if (id === null || !display || !/^[A-Za-z0-9.:_-]{1,64}$/.test(display)) return null;
  const result = await runner.run('xwininfo', ['-display', display, '-id', id], {
    signal: AbortSignal.timeout(timeoutMs),
    stream: false,
  });
  if (!result.ok || result.value.exitCode !== 0) return null;
  return parseXwininfo(result.value.stdout);
}
