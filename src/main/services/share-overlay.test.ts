import { describe, expect, it } from 'vitest';
import { SHARE_OVERLAY_BURST, SHARE_OVERLAY_RATE } from '../../shared/remote/share-limits';
import { createOverlayGate, mostOverlapping, planOverlay, type OverlayDisplay } from './share-overlay';

const left: OverlayDisplay = { id: '1', bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const right: OverlayDisplay = { id: '2', bounds: { x: 1920, y: -200, width: 2560, height: 1440 } };
const displays = [left, right];

describe('overlay gate', () => {
  it('passes valid messages and drops invalid or unknown ones, counting them', () => {
    const gate = createOverlayGate({ now: () => 0 });
    expect(gate.accept('{"type":"pointer","x":0.5,"y":0.25}')).toEqual({ type: 'pointer', x: 0.5, y: 0.25 });
    expect(gate.accept('{"type":"pointer","x":5,"y":0.25}')).toBeNull();
    expect(gate.accept('{"type":"exec","cmd":"rm"}')).toBeNull();
    expect(gate.accept('not json')).toBeNull();
    expect(gate.accept(42)).toBeNull();
    expect(gate.dropped()).toEqual({ invalid: 4, tooFast: 0 });
  });

  it('bounds the rate: a burst, then SHARE_OVERLAY_RATE per second', () => {
    let now = 1_000;
    const gate = createOverlayGate({ now: () => now });
    const clear = '{"type":"clear"}';
    let passed = 0;
    for (let i = 0; i < SHARE_OVERLAY_BURST * 2; i++) if (gate.accept(clear)) passed++;
    expect(passed).toBe(SHARE_OVERLAY_BURST);
    expect(gate.dropped().tooFast).toBe(SHARE_OVERLAY_BURST);
    now += 1_000;
    passed = 0;
    for (let i = 0; i < SHARE_OVERLAY_RATE * 2; i++) if (gate.accept(clear)) passed++;
    expect(passed).toBe(SHARE_OVERLAY_RATE);
    // A steady 50 a second (the console's pointer and pen) always passes.
    const steady = createOverlayGate({ now: () => now });
    for (let i = 0; i < 500; i++) {
      now += 20;
      expect(steady.accept(clear)).not.toBeNull();
    }
  });
});

describe('where the overlay goes', () => {
  it("covers the shared screen's display, found by display_id or by the source id", () => {
    expect(planOverlay({ id: 'screen:0:0', displayId: '2' }, displays, left)).toEqual({
      bounds: right.bounds,
      displayId: '2',
      exact: true,
    });
    expect(planOverlay({ id: 'screen:2:0', displayId: '' }, displays, left)).toMatchObject({
      displayId: '2',
      exact: true,
    });
  });

  it('falls back to the primary display, exact only when it is the only one', () => {
    expect(planOverlay({ id: 'screen:9:0', displayId: '9' }, displays, left)).toEqual({
      bounds: left.bounds,
      displayId: '1',
      exact: false,
    });
    expect(planOverlay({ id: 'screen:9:0', displayId: '' }, [left], left).exact).toBe(true);
  });

  it('covers a shared window exactly when its bounds are known, else its display (the primary), not exact', () => {
    const windowBounds = { x: 2000, y: 100, width: 1200, height: 800 };
    expect(planOverlay({ id: 'window:42:0', displayId: '', windowBounds }, displays, left)).toEqual({
      bounds: windowBounds,
      displayId: '2',
      exact: true,
    });
    expect(planOverlay({ id: 'window:42:0', displayId: '' }, displays, left)).toEqual({
      bounds: left.bounds,
      displayId: '1',
      exact: false,
    });
  });

  it('finds the display a rectangle is mostly on', () => {
    expect(mostOverlapping({ x: 1800, y: 0, width: 400, height: 300 }, displays)).toBe(right);
    expect(mostOverlapping({ x: 1700, y: 0, width: 300, height: 300 }, displays)).toBe(left);
    expect(mostOverlapping({ x: -5000, y: 0, width: 10, height: 10 }, displays)).toBeNull();
  });
});
