import { randomBytes } from 'node:crypto';
import { IpcError } from '../../shared/ipc/ipc-error';
import type { Screenshot } from '../../shared/ipc/contract';
import type { AgentPlatform } from './agent-platform';

/*
 * Screenshots for the Get help form: captured by the host, kept in memory under a random id until
 * the form submits or discards them (never written anywhere else), previewed as a data: URL.
 */

/** What the outbox stores for a chosen screenshot. */
export interface ScreenshotAttachment {
  kind: 'screenshot';
  filename: 'screenshot.png';
  contentType: 'image/png';
  dataBase64: string;
}

/** The server's limit on one attachment's base64 text. */
const MAX_BASE64 = 12 * 1024 * 1024;
/** Screenshots kept at once; the oldest goes first. */
const MAX_KEPT = 5;

export interface ScreenshotService {
  capture(): Promise<Screenshot>;
  discard(screenshotId: string): void;
  /** The attachment for a kept screenshot, removing it from memory; IpcError when unknown. */
  take(screenshotId: string): ScreenshotAttachment;
}

/** Builds the screenshot service over the host's capture function. */
export function createScreenshotService(
  platform: Pick<AgentPlatform, 'captureScreen'>,
  allowed: () => boolean,
): ScreenshotService {
  const kept = new Map<string, Uint8Array>();
  return {
    async capture() {
      if (!allowed()) throw new IpcError('disabled', 'Screenshots are turned off by your privacy settings.');
      if (!platform.captureScreen) throw new IpcError('unsupported', 'Screenshots are not available on this computer.');
      const { png, width, height } = await platform.captureScreen();
      const base64 = Buffer.from(png).toString('base64');
      if (base64.length > MAX_BASE64) throw new IpcError('too_large', 'The screenshot is too large to attach.');
      const screenshotId = randomBytes(16).toString('hex');
      kept.set(screenshotId, png);
      while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value as string);
      return { screenshotId, dataUrl: `data:image/png;base64,${base64}`, width, height, bytes: png.byteLength };
    },
    discard(screenshotId) {
      kept.delete(screenshotId);
    },
    take(screenshotId) {
      const png = kept.get(screenshotId);
      if (!png) throw new IpcError('not_found', 'That screenshot is no longer available; take it again.');
      kept.delete(screenshotId);
      return {
        kind: 'screenshot',
        filename: 'screenshot.png',
        contentType: 'image/png',
        dataBase64: Buffer.from(png).toString('base64'),
      };
    },
  };
}
