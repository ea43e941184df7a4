import { describe, expect, it } from 'vitest';
import {
  SHARE_FADE_AFTER_MS,
  SHARE_FADE_OUT_MS,
  SHARE_STROKE_POINTS_MAX,
  SHARE_STROKES_MAX,
} from '../../shared/remote/share-limits';
import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';
import { createAnnotationBoard } from './annotation-board';

const pen = (id: number, points: Array<[number, number]>, done = false, fade = false): ShareOverlayMessage => ({
  type: 'pen',
  id,
  color: 'red',
  fade,
  points,
  done,
});

describe('annotation board', () => {
  it('follows the pointer and hides it', () => {
    const board = createAnnotationBoard();
    expect(board.scene(0).pointer).toBeNull();
    board.apply({ type: 'pointer', x: 0.25, y: 0.75 }, 0);
    expect(board.scene(0).pointer).toEqual({ x: 0.25, y: 0.75 });
    expect(board.apply({ type: 'pointer-hide' }, 1)).toBe(true);
    expect(board.apply({ type: 'pointer-hide' }, 2)).toBe(false);
    expect(board.scene(2).pointer).toBeNull();
  });

  it('grows a pen stroke piece by piece until it is finished, then keeps it as it is', () => {
    const board = createAnnotationBoard();
    board.apply(pen(1, [[0.1, 0.1]]), 0);
    board.apply(
      pen(1, [
        [0.2, 0.2],
        [0.3, 0.3],
      ]),
      40,
    );
    board.apply(pen(1, [[0.4, 0.4]], true), 80);
    expect(board.apply(pen(1, [[0.9, 0.9]]), 120)).toBe(false);
    const [stroke] = board.scene(1000).annotations;
    expect(stroke).toMatchObject({ id: 1, kind: 'pen', color: 'red', doneAt: 80, alpha: 1 });
    expect(stroke!.points).toEqual([
      [0.1, 0.1],
      [0.2, 0.2],
      [0.3, 0.3],
      [0.4, 0.4],
    ]);
  });

  it('replaces a shape while it is dragged; a shape cannot take over a pen stroke id', () => {
    const board = createAnnotationBoard();
    const shape = (to: [number, number], done: boolean): ShareOverlayMessage => ({
      type: 'shape',
      id: 7,
      shape: 'arrow',
      color: 'blue',
      fade: false,
      from: [0.1, 0.1],
      to,
      done,
    });
    board.apply(shape([0.2, 0.2], false), 0);
    board.apply(shape([0.5, 0.6], true), 10);
    expect(board.apply(shape([0.9, 0.9], true), 20)).toBe(false);
    expect(board.scene(20).annotations.map((a) => [a.kind, a.points])).toEqual([
      [
        'arrow',
        [
          [0.1, 0.1],
          [0.5, 0.6],
        ],
      ],
    ]);
    board.apply(pen(8, [[0.5, 0.5]]), 30);
    expect(
      board.apply(
        { type: 'shape', id: 8, shape: 'circle', color: 'red', fade: false, from: [0, 0], to: [1, 1], done: true },
        40,
      ),
    ).toBe(false);
  });

  it('annotations stay until cleared; undo removes one; clear removes all', () => {
    const board = createAnnotationBoard();
    board.apply(pen(1, [[0.1, 0.1]], true), 0);
    board.apply(pen(2, [[0.2, 0.2]], true), 0);
    board.apply(pen(3, [[0.3, 0.3]], true), 0);
    expect(board.scene(3_600_000).annotations).toHaveLength(3);
    expect(board.animating(0)).toBe(false);
    expect(board.apply({ type: 'undo', id: 2 }, 1)).toBe(true);
    expect(board.apply({ type: 'undo', id: 2 }, 1)).toBe(false);
    expect(board.scene(1).annotations.map((a) => a.id)).toEqual([1, 3]);
    expect(board.apply({ type: 'clear' }, 2)).toBe(true);
    expect(board.size()).toBe(0);
    expect(board.apply({ type: 'clear' }, 3)).toBe(false);
  });

  it('a fading annotation stays while it is drawn, then fades out after it is finished and is forgotten', () => {
    const board = createAnnotationBoard();
    board.apply(pen(1, [[0.1, 0.1]], false, true), 0);
    expect(board.scene(60_000).annotations[0]!.alpha).toBe(1);
    board.apply(pen(1, [[0.2, 0.2]], true, true), 60_000);
    expect(board.animating(60_000)).toBe(true);
    expect(board.scene(60_000 + SHARE_FADE_AFTER_MS).annotations[0]!.alpha).toBe(1);
    expect(board.scene(60_000 + SHARE_FADE_AFTER_MS + SHARE_FADE_OUT_MS / 2).annotations[0]!.alpha).toBeCloseTo(0.5);
    expect(board.scene(60_000 + SHARE_FADE_AFTER_MS + SHARE_FADE_OUT_MS).annotations).toEqual([]);
    expect(board.size()).toBe(0);
    expect(board.animating(60_000 + SHARE_FADE_AFTER_MS + SHARE_FADE_OUT_MS)).toBe(false);
  });

  it('holds at most SHARE_STROKES_MAX annotations (the oldest go) and SHARE_STROKE_POINTS_MAX points per stroke', () => {
    const board = createAnnotationBoard();
    for (let id = 0; id < SHARE_STROKES_MAX + 5; id++) board.apply(pen(id, [[0.5, 0.5]], true), id);
    expect(board.size()).toBe(SHARE_STROKES_MAX);
    expect(board.scene(0).annotations[0]!.id).toBe(5);

    const long = createAnnotationBoard();
    const piece = Array.from({ length: 64 }, (_, i): [number, number] => [i / 64, 0.5]);
    for (let i = 0; i < SHARE_STROKE_POINTS_MAX / 64 + 10; i++) long.apply(pen(1, piece), i);
    expect(long.scene(0).annotations[0]!.points).toHaveLength(SHARE_STROKE_POINTS_MAX);
  });

  it('an empty first piece draws nothing', () => {
    const board = createAnnotationBoard();
    expect(board.apply(pen(1, [], true), 0)).toBe(false);
    expect(board.size()).toBe(0);
  });
});
