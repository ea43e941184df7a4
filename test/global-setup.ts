import { execFileSync } from 'node:child_process';

/** Builds dist/ once so integration tests run the CLI exactly as `npx deskside` would. */
export default function setup(): void {
  // Live snapshots in tests (CLI processes, agents, the demo) ping loopback, never the real gateway;
  // workers and the processes they spawn inherit it.
  process.env.DESKSIDE_PROBE_GATEWAY ??= '127.0.0.1';
  process.env.DESKSIDE_PROBE_RESOLVERS ??= '127.0.0.1';
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
}
