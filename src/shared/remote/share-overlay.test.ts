import { describe, expect, it } from 'vitest';
import { SHARE_OVERLAY_MESSAGE_MAX, SHARE_OVERLAY_POINTS_MAX } from './share-limits';
import { parseShareOverlayMessage, type ShareOverlayMessage } from './share-overlay';

const json = (value: unknown) => JSON.stringify(value);

describe('overlay messages', () => {
  it('reads every kind the console sends', () => {
    const messages: ShareOverlayMessage[] = [
      { type: 'pointer', x: 0, y: 1 },
      { type: 'pointer-hide' },
      { type: 'pen', id: 1, color: 'red', fade: false, points: [[0.1, 0.2]], done: false },
      { type: 'pen', id: 1, color: 'red', fade: false, points: [], done: true },
      { type: 'shape', id: 2, shape: 'arrow', color: 'blue', fade: true, from: [0, 0], to: [1, 1], done: true },
      {
        type: 'shape',
        id: 3,
        shape: 'circle',
        color: 'yellow',
        fade: false,
        from: [0.5, 0.5],
        to: [0.6, 0.7],
        done: false,
      },
      { type: 'undo', id: 2 },
      { type: 'clear' },
    ];
    for (const message of messages) expect(parseShareOverlayMessage(json(message))).toEqual(message);
  });

  it('drops positions outside the picture, non-numbers and unknown colours or tools', () => {
    const bad: unknown[] = [
      { type: 'pointer', x: 1.01, y: 0.5 },
      { type: 'pointer', x: -0.1, y: 0.5 },
      { type: 'pointer', x: '0.5', y: 0.5 },
      { type: 'pointer', x: null, y: 0.5 },
      { type: 'pen', id: 1, color: 'purple', fade: false, points: [[0.1, 0.2]], done: false },
      { type: 'pen', id: 1, color: 'red', fade: false, points: [[0.1, 2]], done: false },
      { type: 'pen', id: 1, color: 'red', fade: false, points: [[0.1]], done: false },
      { type: 'pen', id: -1, color: 'red', fade: false, points: [], done: false },
      { type: 'pen', id: 1.5, color: 'red', fade: false, points: [], done: false },
      { type: 'shape', id: 1, shape: 'triangle', color: 'red', fade: false, from: [0, 0], to: [1, 1], done: true },
      { type: 'undo' },
    ];
    for (const message of bad) expect(parseShareOverlayMessage(json(message)), json(message)).toBeNull();
  });

  it('drops unknown types, extra fields, non-JSON, non-strings and anything too long', () => {
    expect(parseShareOverlayMessage(json({ type: 'chat', text: 'hi' }))).toBeNull();
    expect(parseShareOverlayMessage(json({ type: 'click', x: 0.5, y: 0.5 }))).toBeNull();
    expect(parseShareOverlayMessage(json({ type: 'clear', all: true }))).toBeNull();
    expect(parseShareOverlayMessage(json({ type: 'pointer', x: 0.5, y: 0.5, html: '<b>' }))).toBeNull();
    expect(parseShareOverlayMessage('{"type":"clear"')).toBeNull();
    expect(parseShareOverlayMessage('null')).toBeNull();
    expect(parseShareOverlayMessage('[]')).toBeNull();
    expect(parseShareOverlayMessage({ type: 'clear' })).toBeNull();
    expect(parseShareOverlayMessage(new ArrayBuffer(8))).toBeNull();
    const long = json({ type: 'clear' }).replace('}', `${' '.repeat(SHARE_OVERLAY_MESSAGE_MAX)}}`);
    expect(parseShareOverlayMessage(long)).toBeNull();
  });

  it('bounds a pen message at SHARE_OVERLAY_POINTS_MAX points, which fit in one message', () => {
    const points = Array.from({ length: SHARE_OVERLAY_POINTS_MAX }, (_, i) => [0.1234, i / SHARE_OVERLAY_POINTS_MAX]);
    const full = json({ type: 'pen', id: 2 ** 31 - 1, color: 'yellow', fade: true, points, done: false });
    expect(full.length).toBeLessThanOrEqual(SHARE_OVERLAY_MESSAGE_MAX);
    expect(parseShareOverlayMessage(full)).not.toBeNull();
    const over = json({ type: 'pen', id: 1, color: 'red', fade: false, points: [...points, [0, 0]], done: false });
    expect(parseShareOverlayMessage(over)).toBeNull();
  });
});
