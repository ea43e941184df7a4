import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';
import { createAnnotationBoard, type AnnotationBoard } from '../../ui/annotations/annotation-board';
import { paintScene } from '../../ui/annotations/annotation-paint';

/*
 * The screen-share overlay's page logic (issue 13): a full-window transparent canvas on which the technician's
 * pointer and annotations are drawn, from the messages main sends (`share:overlay`, already validated).
 * The Electron glue sizes the window to the shared screen, so the canvas is the shared picture: fractions
 * become pixels. It redraws on each message and, while an annotation fades, on each animation frame.
 *
 * The canvas says what it shows in data attributes (data-annotations, data-pointer, data-messages), for
 * tests and for anyone inspecting the window.
 */

export interface OverlayView {
  receive(message: ShareOverlayMessage): void;
  /** The canvas follows the window's size and pixel density. */
  resize(): void;
  board: AnnotationBoard;
}

export interface OverlayViewOptions {
  now?: () => number;
  /** The window's size in CSS pixels and its pixel density. */
  viewport?: () => { width: number; height: number; scale: number };
  requestFrame?: (draw: () => void) => void;
}

export function mountOverlay(canvas: HTMLCanvasElement, options: OverlayViewOptions = {}): OverlayView {
  const now = options.now ?? (() => performance.now());
  const viewport =
    options.viewport ??
    (() => ({ width: window.innerWidth, height: window.innerHeight, scale: window.devicePixelRatio || 1 }));
  const requestFrame = options.requestFrame ?? ((draw) => void requestAnimationFrame(draw));
  const board = createAnnotationBoard();
  const ctx = canvas.getContext('2d');
  let scale = 1;
  let messages = 0;
  let scheduled = false;

  const draw = () => {
    scheduled = false;
    const at = now();
    const scene = board.scene(at);
    if (ctx) paintScene(ctx, scene, canvas.width, canvas.height, scale);
    canvas.dataset.annotations = String(scene.annotations.length);
    canvas.dataset.pointer = scene.pointer ? `${scene.pointer.x.toFixed(4)},${scene.pointer.y.toFixed(4)}` : '';
    canvas.dataset.messages = String(messages);
    if (board.animating(at)) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestFrame(draw);
  };

  const resize = () => {
    const v = viewport();
    scale = v.scale;
    canvas.width = Math.max(1, Math.round(v.width * v.scale));
    canvas.height = Math.max(1, Math.round(v.height * v.scale));
    canvas.style.width = `${v.width}px`;
    canvas.style.height = `${v.height}px`;
    schedule();
  };
  resize();

  return {
    receive(message) {
      messages++;
      if (board.apply(message, now())) schedule();
      else canvas.dataset.messages = String(messages);
    },
    resize,
    board,
  };
}
