// Builds the Node-side entry points with esbuild. Type checking is separate (`npm run typecheck`):
// esbuild only strips types, which keeps this step well under a second.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

const started = performance.now();
await rm('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: { 'cli/deskside': 'src/cli/deskside.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies stay in node_modules: they ship beside the app and keep their own file layout.
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
if (!process.argv.includes('--quiet')) {
  console.log(`deskside: built dist/ in ${Math.round(performance.now() - started)} ms`);
}
