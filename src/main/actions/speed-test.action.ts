import type { ActionParams } from '../../shared/actions/catalog';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

const MB = 1024 * 1024;

/** Megabits per second from bytes and milliseconds, one decimal. */
export function mbps(bytes: number, ms: number): number {
  return ms <= 0 ? 0 : Math.round(((bytes * 8) / (ms / 1000) / 1_000_000) * 10) / 10;
}

/** net.speed-test on every OS: download then upload `megabytes` through the help-desk server port. */
async function speedTest(p: ActionParams<'net.speed-test'>, ctx: ActionContext): Promise<ImplOutcome> {
  const port = ctx.ports.speedTest;
  if (!port) return failed('unsupported', 'This agent has no help-desk connection to test against');
  const down = await port.download(p.megabytes * MB, ctx.signal);
  if (!down.ok) return failed(down.error.code, `download: ${down.error.message}`);
  const up = await port.upload(p.megabytes * MB, ctx.signal);
  if (!up.ok)
    return failed(up.error.code, `upload: ${up.error.message}`, {
      downloadMbps: mbps(down.value.bytes, down.value.ms),
    });
  const fields = {
    downloadMbps: mbps(down.value.bytes, down.value.ms),
    uploadMbps: mbps(up.value.bytes, up.value.ms),
    bytes: p.megabytes * MB,
  };
  ctx.write(`Download ${fields.downloadMbps} Mbit/s, upload ${fields.uploadMbps} Mbit/s\n`);
  return done(fields);
}

/** net.speed-test on each OS. */
export const speedTestAction: ActionImpls<'net.speed-test'> = { linux: speedTest, darwin: speedTest, win32: speedTest };
