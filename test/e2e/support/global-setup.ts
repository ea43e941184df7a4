import { execFileSync } from 'node:child_process';

/** Builds dist/ (CLI, server, renderer, console) once before the browser tests. */
export default function setup(): void {
  // Live snapshots in the browser tests' agents ping loopback, never the real gateway.
  process.env.DESKSIDE_PROBE_GATEWAY ??= '127.0.0.1';
  process.env.DESKSIDE_PROBE_RESOLVERS ??= '127.0.0.1';
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
}
