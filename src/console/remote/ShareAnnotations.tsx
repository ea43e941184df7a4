import { useCallback, useEffect, useRef, useState, type PointerEvent, type ReactElement, type ReactNode } from 'react';
import {
  SHARE_ANNOTATION_COLORS,
  SHARE_OVERLAY_POINTS_MAX,
  SHARE_POINTER_INTERVAL_MS,
  type ShareAnnotationColor,
} from '../../shared/remote/share-limits';
import type { ShareOverlayMessage, ShareOverlayPoint } from '../../shared/remote/share-overlay';
import { createAnnotationBoard } from '../../ui/annotations/annotation-board';
import { paintScene } from '../../ui/annotations/annotation-paint';

/*
 * The technician's pointer and annotations over the shared picture (issue 13). A canvas lies exactly over the
 * picture inside the <video> (letterboxing left out), so a position is a fraction of the employee's screen.
 * Every message sent on the overlay channel is also applied to a local board drawn on that canvas: the
 * technician sees what the employee's overlay shows. The pointer goes out live (at most every
 * SHARE_POINTER_INTERVAL_MS), a pen stroke in pieces at the same pace, an arrow or circle while it is dragged.
 *
 * Annotations stay until the technician clears them (what a technician saying "click here" expects: the
 * employee may take a while); "Fade" makes new ones disappear a few seconds after they are drawn.
 */

export type AnnotationTool = 'pointer' | 'pen' | 'arrow' | 'circle';

const TOOLS: Array<{ tool: AnnotationTool; label: string; hint: string }> = [
  { tool: 'pointer', label: 'Pointer', hint: 'Only your pointer' },
  { tool: 'pen', label: 'Pen', hint: 'Draw freehand' },
  { tool: 'arrow', label: 'Arrow', hint: 'Drag from the tail to the tip' },
  { tool: 'circle', label: 'Circle', hint: 'Drag across what to circle' },
];
const COLOR_NAMES: Record<ShareAnnotationColor, string> = { red: 'Red', yellow: 'Yellow', blue: 'Blue' };

/** Where the picture lies inside a <video> with object-fit: contain (CSS pixels, relative to the element). */
export function pictureRect(
  box: { width: number; height: number },
  videoWidth: number,
  videoHeight: number,
): { left: number; top: number; width: number; height: number } | null {
  if (!videoWidth || !videoHeight || !box.width || !box.height) return null;
  const scale = Math.min(box.width / videoWidth, box.height / videoHeight);
  const width = videoWidth * scale;
  const height = videoHeight * scale;
  return { left: (box.width - width) / 2, top: (box.height - height) / 2, width, height };
}

const round = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;

interface Drawing {
  id: number;
  tool: Exclude<AnnotationTool, 'pointer'>;
  from: ShareOverlayPoint;
  to: ShareOverlayPoint;
  /** Pen points not sent yet. */
  pending: ShareOverlayPoint[];
}

/** The drawing toolbar, then the picture (`children`: the <video>) with the drawing canvas over it. */
export function ShareAnnotations({
  video,
  active,
  send,
  children,
}: {
  video: HTMLVideoElement | null;
  children: ReactNode;
  /** The overlay channel is usable (the share is connected). */
  active: boolean;
  /** Sends one message to the employee's overlay; false when it could not go. */
  send(message: ShareOverlayMessage): boolean;
}): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const board = useRef(createAnnotationBoard());
  const [tool, setTool] = useState<AnnotationTool>('pen');
  const [color, setColor] = useState<ShareAnnotationColor>('red');
  const [fade, setFade] = useState(false);
  const [showPointer, setShowPointer] = useState(true);
  const [count, setCount] = useState(0);
  const drawing = useRef<Drawing | null>(null);
  const mine = useRef<number[]>([]);
  const nextId = useRef(1);
  // What waits for the next send (at most every SHARE_POINTER_INTERVAL_MS; the last position always goes).
  const pendingPointer = useRef<ShareOverlayPoint | null>(null);
  const dirty = useRef(false);
  const lastFlush = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const frame = useRef(0);

  const repaint = useCallback(() => {
    const c = canvas.current;
    frame.current = 0;
    if (!c) return;
    const now = performance.now();
    const scene = board.current.scene(now);
    // The technician has their own cursor: the local picture leaves the pointer out.
    paintScene(c.getContext('2d')!, { ...scene, pointer: null }, c.width, c.height, window.devicePixelRatio || 1);
    c.dataset.annotations = String(scene.annotations.length);
    setCount(scene.annotations.length);
    if (board.current.animating(now)) frame.current = requestAnimationFrame(repaint);
  }, []);
  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(repaint);
  }, [repaint]);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  /** Sends a message and, when it went, shows it locally too. */
  const emit = useCallback(
    (message: ShareOverlayMessage) => {
      if (!send(message)) return false;
      if (message.type !== 'pointer' && message.type !== 'pointer-hide') {
        board.current.apply(message, performance.now());
        schedule();
      }
      return true;
    },
    [send, schedule],
  );

  // The canvas covers exactly the picture, at the screen's pixel density, whatever the layout does.
  useEffect(() => {
    const c = canvas.current;
    if (!video || !c) return;
    const place = () => {
      const rect = pictureRect(video.getBoundingClientRect(), video.videoWidth, video.videoHeight);
      c.dataset.placed = String(rect !== null);
      if (!rect) return;
      const scale = window.devicePixelRatio || 1;
      c.style.left = `${video.offsetLeft + rect.left}px`;
      c.style.top = `${video.offsetTop + rect.top}px`;
      c.style.width = `${rect.width}px`;
      c.style.height = `${rect.height}px`;
      c.width = Math.round(rect.width * scale);
      c.height = Math.round(rect.height * scale);
      repaint();
    };
    const observer = new ResizeObserver(place);
    observer.observe(video);
    video.addEventListener('resize', place);
    video.addEventListener('loadedmetadata', place);
    place();
    return () => {
      observer.disconnect();
      video.removeEventListener('resize', place);
      video.removeEventListener('loadedmetadata', place);
    };
  }, [video, repaint]);

  // The share ended: nothing more goes out, and the local drawing goes.
  useEffect(() => {
    if (active) return;
    drawing.current = null;
    board.current.apply({ type: 'clear' }, performance.now());
    schedule();
  }, [active, schedule]);

  const at = (event: PointerEvent<HTMLCanvasElement>): ShareOverlayPoint => {
    const box = event.currentTarget.getBoundingClientRect();
    return [round((event.clientX - box.left) / box.width), round((event.clientY - box.top) / box.height)];
  };

  const sendPiece = (done: boolean) => {
    const d = drawing.current;
    if (!d) return;
    dirty.current = false;
    if (d.tool === 'pen') {
      while (d.pending.length > SHARE_OVERLAY_POINTS_MAX)
        emit({
          type: 'pen',
          id: d.id,
          color,
          fade,
          points: d.pending.splice(0, SHARE_OVERLAY_POINTS_MAX),
          done: false,
        });
      emit({ type: 'pen', id: d.id, color, fade, points: d.pending.splice(0), done });
    } else emit({ type: 'shape', id: d.id, shape: d.tool, color, fade, from: d.from, to: d.to, done });
  };

  const onDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!active || tool === 'pointer' || event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const p = at(event);
    const id = nextId.current++;
    drawing.current = { id, tool, from: p, to: p, pending: [p] };
    mine.current.push(id);
    sendPiece(false);
  };
  /** Sends the pointer's last position and the drawing's new part, paced; what is too early goes a bit later. */
  const flush = () => {
    const wait = lastFlush.current + SHARE_POINTER_INTERVAL_MS - performance.now();
    if (wait > 0) {
      timer.current ??= setTimeout(() => {
        timer.current = null;
        flush();
      }, wait);
      return;
    }
    lastFlush.current = performance.now();
    const p = pendingPointer.current;
    pendingPointer.current = null;
    if (p && active) send({ type: 'pointer', x: p[0], y: p[1] });
    if (dirty.current) sendPiece(false);
  };

  const onMove = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!active) return;
    const p = at(event);
    if (showPointer) pendingPointer.current = p;
    const d = drawing.current;
    if (d) {
      d.to = p;
      if (d.tool === 'pen') d.pending.push(p);
      dirty.current = true;
    }
    flush();
  };
  const onUp = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    drawing.current.to = at(event);
    if (drawing.current.tool === 'pen') drawing.current.pending.push(drawing.current.to);
    sendPiece(true);
    drawing.current = null;
  };

  const undo = () => {
    const id = mine.current.pop();
    if (id !== undefined) emit({ type: 'undo', id });
  };

  return (
    <div className="share-stage-column">
      <div className="share-tools" role="toolbar" aria-label="Draw on the employee's screen">
        <div className="share-tool-group" role="radiogroup" aria-label="Tool">
          {TOOLS.map((t) => (
            <label key={t.tool} className="share-tool" title={t.hint}>
              <input
                type="radio"
                name="share-tool"
                value={t.tool}
                checked={tool === t.tool}
                onChange={() => setTool(t.tool)}
              />
              <span>{t.label}</span>
            </label>
          ))}
        </div>
        <div className="share-tool-group" role="radiogroup" aria-label="Colour">
          {(Object.keys(SHARE_ANNOTATION_COLORS) as ShareAnnotationColor[]).map((c) => (
            <label key={c} className={`share-swatch share-swatch-${c}`} title={COLOR_NAMES[c]}>
              <input type="radio" name="share-color" value={c} checked={color === c} onChange={() => setColor(c)} />
              <span className="visually-hidden">{COLOR_NAMES[c]}</span>
            </label>
          ))}
        </div>
        <label className="remote-toggle" title="New drawings disappear a few seconds after you finish them">
          <input type="checkbox" checked={fade} onChange={(e) => setFade(e.target.checked)} />
          Fade
        </label>
        <label className="remote-toggle">
          <input
            type="checkbox"
            checked={showPointer}
            onChange={(e) => {
              setShowPointer(e.target.checked);
              if (!e.target.checked) send({ type: 'pointer-hide' });
            }}
          />
          Show my pointer
        </label>
        <button type="button" className="btn btn-small" disabled={!active || count === 0} onClick={undo}>
          Undo
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!active || count === 0}
          onClick={() => emit({ type: 'clear' })}
        >
          Clear all
        </button>
      </div>
      <div className="share-stage">
        {children}
        <canvas
          ref={canvas}
          className={`share-annotations share-annotations-${tool}`}
          data-testid="share-annotations"
          aria-hidden="true"
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
          onPointerLeave={() => {
            pendingPointer.current = null;
            if (active) send({ type: 'pointer-hide' });
          }}
        />
      </div>
      <p className="muted small share-tools-hint">
        {!active
          ? 'Drawing is available while the screen is shared.'
          : fade
            ? 'The employee sees your pointer and drawings over their screen; new drawings fade after a few seconds.'
            : 'The employee sees your pointer and drawings over their screen until you clear them.'}
      </p>
    </div>
  );
}
