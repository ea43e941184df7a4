import {
  SHARE_FADE_AFTER_MS,
  SHARE_FADE_OUT_MS,
  SHARE_STROKE_POINTS_MAX,
  SHARE_STROKES_MAX,
  type ShareAnnotationColor,
} from '../../shared/remote/share-limits';
import type { ShareOverlayMessage, ShareOverlayPoint } from '../../shared/remote/share-overlay';

/*
 * What is drawn over a shared screen (issue 13), as plain state: the technician's pointer and annotations,
 * built from the overlay messages (share-overlay.ts) in the order they come. The console keeps one for what
 * it shows over the picture and the employee's overlay keeps one for what it draws over the screen, fed the
 * same messages, so both show the same thing. No DOM here: annotation-paint.ts draws a scene on a canvas.
 *
 * Bounds: SHARE_STROKES_MAX annotations (the oldest goes first), SHARE_STROKE_POINTS_MAX points per pen
 * stroke. A finished annotation does not change any more; one that fades is gone SHARE_FADE_AFTER_MS +
 * SHARE_FADE_OUT_MS after it was finished.
 */

export type AnnotationKind = 'pen' | 'arrow' | 'circle';

export interface Annotation {
  id: number;
  kind: AnnotationKind;
  color: ShareAnnotationColor;
  fade: boolean;
  /** Pen: the stroke's points; arrow and circle: [from, to]. */
  points: ShareOverlayPoint[];
  /** When it was finished (ms), null while it is drawn. */
  doneAt: number | null;
}

/** What to draw at one moment: the annotations with their opacity (0..1), and the pointer. */
export interface AnnotationScene {
  annotations: Array<Annotation & { alpha: number }>;
  pointer: { x: number; y: number } | null;
}

export interface AnnotationBoard {
  /** Applies one message at `now` (ms); false when it changed nothing (an unknown id, a finished stroke…). */
  apply(message: ShareOverlayMessage, now: number): boolean;
  /** What to draw at `now`; annotations that have faded out are forgotten. */
  scene(now: number): AnnotationScene;
  /** Whether something is fading at `now` (the picture changes without a message). */
  animating(now: number): boolean;
  /** Annotations held (fading ones included until they are gone). */
  size(): number;
}

/** The opacity of an annotation at `now`: 1, then (if it fades) down to 0. */
export function opacityAt(annotation: Annotation, now: number): number {
  if (!annotation.fade || annotation.doneAt === null) return 1;
  const since = now - annotation.doneAt - SHARE_FADE_AFTER_MS;
  if (since <= 0) return 1;
  return Math.max(0, 1 - since / SHARE_FADE_OUT_MS);
}

export function createAnnotationBoard(): AnnotationBoard {
  // In drawing order (oldest first); ids are the console's, unique per session.
  const annotations = new Map<number, Annotation>();
  let pointer: { x: number; y: number } | null = null;

  const add = (annotation: Annotation) => {
    annotations.set(annotation.id, annotation);
    while (annotations.size > SHARE_STROKES_MAX) annotations.delete(annotations.keys().next().value!);
  };
  const prune = (now: number) => {
    for (const [id, a] of annotations) if (opacityAt(a, now) === 0) annotations.delete(id);
  };

  function apply(message: ShareOverlayMessage, now: number): boolean {
    switch (message.type) {
      case 'pointer':
        pointer = { x: message.x, y: message.y };
        return true;
      case 'pointer-hide': {
        const was = pointer !== null;
        pointer = null;
        return was;
      }
      case 'pen': {
        const existing = annotations.get(message.id);
        if (existing && (existing.kind !== 'pen' || existing.doneAt !== null)) return false;
        const stroke = existing ?? {
          id: message.id,
          kind: 'pen' as const,
          color: message.color,
          fade: message.fade,
          points: [],
          doneAt: null,
        };
        const room = SHARE_STROKE_POINTS_MAX - stroke.points.length;
        stroke.points.push(...message.points.slice(0, Math.max(0, room)));
        if (message.done) stroke.doneAt = now;
        if (!existing) {
          if (stroke.points.length === 0) return false;
          add(stroke);
        }
        return true;
      }
      case 'shape': {
        const existing = annotations.get(message.id);
        if (existing && (existing.kind !== message.shape || existing.doneAt !== null)) return false;
        const shape: Annotation = {
          id: message.id,
          kind: message.shape,
          color: message.color,
          fade: message.fade,
          points: [message.from, message.to],
          doneAt: message.done ? now : null,
        };
        if (existing) Object.assign(existing, shape);
        else add(shape);
        return true;
      }
      case 'undo':
        return annotations.delete(message.id);
      case 'clear': {
        const had = annotations.size > 0;
        annotations.clear();
        return had;
      }
    }
  }

  return {
    apply,
    scene(now) {
      prune(now);
      return {
        annotations: [...annotations.values()].map((a) => ({ ...a, alpha: opacityAt(a, now) })),
        pointer,
      };
    },
    animating(now) {
      for (const a of annotations.values()) if (a.fade && a.doneAt !== null && opacityAt(a, now) > 0) return true;
      return false;
    },
    size: () => annotations.size,
  };
}
