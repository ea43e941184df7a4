import { execFileSync } from 'node:child_process';

/** Builds dist/ once so integration tests run the CLI exactly as `npx deskside` would. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
}
