import { execFileSync } from 'node:child_process';

/** Builds dist/ (CLI, server, renderer, console) once before the browser tests. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
}
