#!/usr/bin/env node
// The `deskside` command: runs the built CLI (npm install builds it through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/deskside.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('deskside: not built yet; run `npm run build` in the Deskside folder first\n');
  process.exit(2);
}
await import(entry.href);
