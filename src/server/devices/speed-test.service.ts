import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  SPEED_TEST_CONCURRENT_MAX,
  SPEED_TEST_MAX_BYTES,
  SPEED_TEST_TRANSFERS_PER_MINUTE,
  type SpeedTestUploadResult,
} from '../../shared/api/speed-test';
import { ApiError, tooLarge } from '../errors';

/*
 * The speed test's server side: an incompressible payload of the size a device asks for, and a sink that
 * counts an upload and keeps nothing. Both are capped (SPEED_TEST_MAX_BYTES), limited per device
 * (SPEED_TEST_TRANSFERS_PER_MINUTE, counted in this process: a device behind several instances may get
 * one allowance per instance, still a bounded amount of traffic) and per process (SPEED_TEST_CONCURRENT_MAX
 * transfers at once), so a device cannot turn the help desk into a bandwidth sink.
 */

const WINDOW_MS = 60_000;
/** One block of random bytes, sent over and over: gzip's 32 KiB window finds nothing to squeeze in it. */
const BLOCK = randomBytes(64 * 1024);

export interface SpeedTestLimiter {
  /** Admits a transfer for the device (throws 429/503 with Retry-After); call the answer when it ends. */
  admit(deviceId: string): () => void;
}

/** The limits of one server process. */
export function createSpeedTestLimiter(now: () => number = Date.now): SpeedTestLimiter {
  const starts = new Map<string, number[]>();
  let running = 0;
  return {
    admit(deviceId) {
      const t = now();
      const recent = (starts.get(deviceId) ?? []).filter((at) => at > t - WINDOW_MS);
      if (recent.length >= SPEED_TEST_TRANSFERS_PER_MINUTE) {
        const retry = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - t) / 1000));
        throw new ApiError(
          429,
          'too_many_speed_tests',
          `At most ${SPEED_TEST_TRANSFERS_PER_MINUTE} speed-test transfers a minute; try again in ${retry} s`,
          undefined,
          { 'retry-after': String(retry) },
        );
      }
      if (running >= SPEED_TEST_CONCURRENT_MAX)
        throw new ApiError(
          503,
          'speed_test_busy',
          'The help desk is running other speed tests; try again soon',
          undefined,
          {
            'retry-after': '5',
          },
        );
      recent.push(t);
      starts.set(deviceId, recent);
      // Devices whose window emptied are forgotten, so the map holds only recent testers.
      if (starts.size > 1000) for (const [id, at] of starts) if (at.every((a) => a <= t - WINDOW_MS)) starts.delete(id);
      running++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        running--;
      };
    },
  };
}

/** `bytes` bytes of the random block, produced as the socket takes them. */
export function speedTestPayload(bytes: number): Readable {
  let left = Math.min(bytes, SPEED_TEST_MAX_BYTES);
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const chunk = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

/** Reads an upload to its end keeping nothing but its length; refuses past `limit` bytes (413). */
export function drainUpload(body: Readable, limit: number, now: () => number = performance.now.bind(performance)) {
  return new Promise<SpeedTestUploadResult>((resolve, reject) => {
    let bytes = 0;
    let first: number | null = null;
    body.on('data', (chunk: Buffer) => {
      first ??= now();
      bytes += chunk.length;
      if (bytes > limit) {
        body.destroy();
        reject(tooLarge('speed_test_too_large', `A speed-test upload is at most ${limit} bytes`));
      }
    });
    body.on('end', () => resolve({ bytes, ms: first === null ? 0 : Math.round((now() - first) * 10) / 10 }));
    body.on('error', reject);
  });
}
