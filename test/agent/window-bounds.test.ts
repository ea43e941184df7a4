import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../src/main/actions/process-runner';
import { parseXwininfo, x11WindowBounds, x11WindowId } from '../../src/main/services/window-bounds';
import { missingXPrograms, startXev, startXvfb, type XDisplay, type XevWindow } from '../helpers/x-display';

/*
 * A shared window's place on the desktop (the screen-share overlay covers it): a real xev window on a private
 * Xvfb display, found by xwininfo as Electron's `window:<XID>:0` source id names it.
 */

const missing = [
  ...missingXPrograms(),
  ...(spawnSync('sh', ['-c', 'command -v xwininfo']).status === 0 ? [] : ['xwininfo']),
];
if (missing.length > 0)
  console.warn(`window-bounds: skipped, ${missing.join(', ')} not installed (apt-get install -y xvfb x11-utils)`);

describe.skipIf(missing.length > 0)('a shared X11 window’s bounds', () => {
  let x: XDisplay;
  let xev: XevWindow;
  beforeAll(async () => {
    x = await startXvfb(640, 480);
    xev = await startXev(x.display, 200, 120, { at: { x: 40, y: 30 } });
  });
  afterAll(async () => {
    await xev?.stop();
    await x?.stop();
  });

  it('reads where the window is from its source id', async () => {
    const tree = spawnSync('xwininfo', ['-display', x.display, '-root', '-tree'], { encoding: 'utf8' }).stdout;
    const hex = /^\s*(0x[0-9a-f]+) "Event Tester"/m.exec(tree)?.[1];
    expect(hex, tree).toBeDefined();
    const sourceId = `window:${Number.parseInt(hex!, 16)}:0`;
    expect(await x11WindowBounds(sourceId, x.display, createProcessRunner())).toEqual({
      x: 40,
      y: 30,
      width: 200,
      height: 120,
    });
  });

  it('answers null for a window that does not exist, a screen, or no display', async () => {
    const runner = createProcessRunner();
    expect(await x11WindowBounds('window:4194303:0', x.display, runner)).toBeNull();
    expect(await x11WindowBounds('screen:0:0', x.display, runner)).toBeNull();
    expect(await x11WindowBounds('window:123:0', undefined, runner)).toBeNull();
  });
});

describe('xwininfo output and source ids', () => {
  it('parses the absolute corner and the size', () => {
    const text = [
      'xwininfo: Window id: 0x200001 "Event Tester"',
      '',
      '  Absolute upper-left X:  40',
      '  Absolute upper-left Y:  30',
      '  Relative upper-left X:  0',
      '  Relative upper-left Y:  0',
      '  Width: 200',
      '  Height: 120',
      '  Depth: 24',
    ].join('\n');
    expect(parseXwininfo(text)).toEqual({ x: 40, y: 30, width: 200, height: 120 });
    expect(parseXwininfo('xwininfo: error: No such window')).toBeNull();
  });

  it('takes only a window source id with a decimal XID', () => {
    expect(x11WindowId('window:54525960:0')).toBe('54525960');
    expect(x11WindowId('screen:0:0')).toBeNull();
    expect(x11WindowId('window:0x1a:0')).toBeNull();
    expect(x11WindowId('window:1;id:0')).toBeNull();
  });
});
