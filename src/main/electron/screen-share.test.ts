import { describe, expect, it, vi } from 'vitest';
import { fakeElectron as fake } from './electron.fake';
import { createScreenShareGlue } from './screen-share';

vi.mock('electron', async () => (await import('./electron.fake')).fakeElectron.module);

/*
 * The display-media handler gives the window exactly the source the employee chose, and nothing otherwise;
 * the capture opens the click-through overlay over the shared display, which draws what it is sent and is
 * closed when the share ends.
 */

const logger = { info: () => {}, warn: () => {}, error: () => {} };
const glue = createScreenShareGlue(fake.session as never, logger, {
  preloadPath: '/app/preload.cjs',
  isPackaged: true,
});
fake.displays.push({
  id: 2,
  size: { width: 1920, height: 1080 },
  bounds: { x: 800, y: 0, width: 1920, height: 1080 },
  scaleFactor: 1,
});
fake.capturerSources.push(
  { id: 'screen:0:0', name: 'Entire screen', display_id: '2', thumbnail: null },
  { id: 'window:42:0', name: 'Mail', display_id: '', thumbnail: null },
);
const request = (origin: string) =>
  new Promise<unknown>((resolve) =>
    fake.session.displayMedia!({ securityOrigin: origin, videoRequested: true, audioRequested: false }, resolve),
  );
const overlays = () => fake.windows.filter((w) => w.loadedUrl === 'app://deskside/overlay.html');
const pointer = { type: 'pointer', x: 0.5, y: 0.5 } as const;

describe('screen share glue', () => {
  it('refuses a capture before the employee chose anything', async () => {
    expect(await request('app://deskside')).toEqual({});
    expect(overlays().filter((w) => !w.isDestroyed())).toEqual([]);
  });

  it('gives the chosen source to the app page only, and nothing once the share ends', async () => {
    glue.choose('window:42:0');
    expect(await request('app://deskside')).toEqual({ video: expect.objectContaining({ id: 'window:42:0' }) });
    expect(await request('https://evil.example')).toEqual({});
    glue.choose(null);
    expect(await request('app://deskside')).toEqual({});
  });

  it('refuses a source that is gone', async () => {
    glue.choose('window:999:0');
    expect(await request('app://deskside')).toEqual({});
    glue.choose(null);
  });

  it('opens a transparent, click-through, unfocusable overlay over the shared display; it draws, then closes with the share', async () => {
    const before = overlays().length;
    glue.choose('screen:0:0');
    await request('app://deskside');
    // The overlay opens once the shared window's place is known (a screen's at once, after the capture).
    await vi.waitFor(() => expect(overlays()).toHaveLength(before + 1));
    const overlay = overlays().at(-1)!;
    expect(overlay.options).toMatchObject({
      x: 800,
      y: 0,
      width: 1920,
      height: 1080,
      frame: false,
      transparent: true,
      focusable: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, preload: '/app/preload.cjs' },
    });
    expect(overlay.settings).toEqual(
      expect.arrayContaining([
        ['setAlwaysOnTop', true, 'screen-saver'],
        ['setIgnoreMouseEvents', true, { forward: true }],
        ['setContentProtection', true],
      ]),
    );
    // Before its page loads, messages wait; then they go, and the window shows without taking the focus.
    glue.overlay(pointer);
    expect(overlay.webContents.sent).toEqual([]);
    overlay.webContents.emit('did-finish-load');
    glue.overlay({ type: 'clear' });
    expect(overlay.webContents.sent).toEqual([
      ['share:overlay', pointer],
      ['share:overlay', { type: 'clear' }],
    ]);
    expect(overlay.isVisible()).toBe(true);
    // A second capture of the same share keeps the one overlay.
    await request('app://deskside');
    expect(overlays()).toHaveLength(before + 1);

    glue.choose(null);
    expect(overlay.isDestroyed()).toBe(true);
    glue.overlay(pointer);
    expect(overlay.webContents.sent).toHaveLength(2);
  });

  it('for a shared window whose place is unknown, covers the primary display', async () => {
    const before = overlays().length;
    glue.choose('window:42:0');
    await request('app://deskside');
    await vi.waitFor(() => expect(overlays()).toHaveLength(before + 1));
    expect(overlays().at(-1)!.options).toMatchObject({ x: 0, y: 0, width: 800, height: 600 });
    glue.choose(null);
  });
});
