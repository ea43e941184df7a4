import { SHARE_ANNOTATION_COLORS } from '../../shared/remote/share-limits';
import type { Annotation, AnnotationScene } from './annotation-board';

/*
 * Draws an annotation scene (annotation-board.ts) on a 2D canvas whose whole area is the shared picture:
 * fractions become canvas pixels. Lines scale with the picture (the same annotation looks the same on the
 * console's small picture and on the employee's large screen); the pointer is a fixed-size ring, like a
 * cursor. Each line has a dark edge so it shows on light and dark screens alike.
 */

/** The line width for a picture of this size (canvas pixels). */
export function lineWidthFor(width: number, height: number): number {
  return Math.max(3, Math.round(Math.min(width, height) * 0.007));
}

/** Clears the canvas and draws the scene. `scale`: device pixels per CSS pixel (the pointer's size). */
export function paintScene(
  ctx: CanvasRenderingContext2D,
  scene: AnnotationScene,
  width: number,
  height: number,
  scale = 1,
): void {
  ctx.clearRect(0, 0, width, height);
  const line = lineWidthFor(width, height);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const annotation of scene.annotations) {
    if (annotation.alpha <= 0) continue;
    ctx.globalAlpha = annotation.alpha;
    // The edge first, then the colour over it.
    strokeAnnotation(ctx, annotation, width, height, line, line + 3 * scale, 'rgba(0, 0, 0, 0.45)');
    strokeAnnotation(ctx, annotation, width, height, line, line, SHARE_ANNOTATION_COLORS[annotation.color]);
  }
  ctx.globalAlpha = 1;
  if (scene.pointer) paintPointer(ctx, scene.pointer.x * width, scene.pointer.y * height, scale);
}

function strokeAnnotation(
  ctx: CanvasRenderingContext2D,
  a: Annotation,
  width: number,
  height: number,
  line: number,
  lineWidth: number,
  color: string,
): void {
  const pts = a.points.map(([x, y]) => [x * width, y * height] as const);
  if (pts.length === 0) return;
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.beginPath();
  switch (a.kind) {
    case 'pen': {
      const [first, ...rest] = pts;
      ctx.moveTo(first![0], first![1]);
      // A single point is a dot.
      if (rest.length === 0) ctx.lineTo(first![0] + 0.01, first![1]);
      for (const [x, y] of rest) ctx.lineTo(x, y);
      ctx.stroke();
      return;
    }
    case 'circle': {
      const [[x1, y1], [x2, y2]] = [pts[0]!, pts[1] ?? pts[0]!];
      ctx.ellipse(
        (x1 + x2) / 2,
        (y1 + y2) / 2,
        Math.max(1, Math.abs(x2 - x1) / 2),
        Math.max(1, Math.abs(y2 - y1) / 2),
        0,
        0,
        Math.PI * 2,
      );
      ctx.stroke();
      return;
    }
    case 'arrow': {
      const [[x1, y1], [x2, y2]] = [pts[0]!, pts[1] ?? pts[0]!];
      const angle = Math.atan2(y2 - y1, x2 - x1);
      const head = Math.min(Math.max(line * 4, 14), Math.hypot(x2 - x1, y2 - y1) * 0.6 || line * 4);
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      for (const side of [-1, 1]) {
        ctx.moveTo(x2, y2);
        ctx.lineTo(
          x2 - head * Math.cos(angle + (side * Math.PI) / 7),
          y2 - head * Math.sin(angle + (side * Math.PI) / 7),
        );
      }
      ctx.stroke();
      return;
    }
  }
}

/** The technician's pointer: a red ring with a white edge and a dot at the exact spot. */
function paintPointer(ctx: CanvasRenderingContext2D, x: number, y: number, scale: number): void {
  const r = 13 * scale;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.lineWidth = 7 * scale;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.95)';
  ctx.stroke();
  ctx.lineWidth = 4 * scale;
  ctx.strokeStyle = SHARE_ANNOTATION_COLORS.red;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(x, y, 3 * scale, 0, Math.PI * 2);
  ctx.fillStyle = SHARE_ANNOTATION_COLORS.red;
  ctx.fill();
}
