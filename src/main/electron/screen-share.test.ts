import { describe, expect, it, vi } from 'vitest';
import { fakeElectron as fake } from './electron.fake';
import { createScreenShareGlue } from './screen-share';

vi.mock('electron', async () => (await import('./electron.fake')).fakeElectron.module);

/* The display-media handler gives the window exactly the source the employee chose, and nothing otherwise. */

const logger = { info: () => {}, warn: () => {}, error: () => {} };
const glue = createScreenShareGlue(fake.session as never, logger);
fake.capturerSources.push(
  { id: 'screen:0:0', name: 'Entire screen', display_id: '1', thumbnail: null },
  { id: 'window:42:0', name: 'Mail', display_id: '', thumbnail: null },
);
const request = (origin: string) =>
  new Promise<unknown>((resolve) =>
    fake.session.displayMedia!({ securityOrigin: origin, videoRequested: true, audioRequested: false }, resolve),
  );

describe('screen share glue', () => {
  it('refuses a capture before the employee chose anything', async () => {
    expect(await request('app://deskside')).toEqual({});
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
});
