// Builds every entry point with esbuild. Type checking is separate (`npm run typecheck`): esbuild
// only strips types, which keeps this step around a second.
//   dist/cli/deskside.js      the `deskside` command (agent CLI and server), Node; snapshot-worker.js beside it
//   dist/main/main.js         the Electron main process (ESM; src/main/index.ts), electron and packages external
//   dist/preload/preload.cjs  the sandboxed preload (CommonJS, bundled: a sandboxed preload cannot require packages)
//   dist/renderer/            the employee window: index.html, app.js, app.css (browser, minified), and the
//                             screen-share overlay's page: overlay.html, overlay.js, overlay.css
//   dist/console/             the technician/IT web console served by the server (browser, minified)
// Entries whose source does not exist yet are skipped, so a partial checkout still builds.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { nodeBundleOptions } from './esbuild-agent-lean.mjs';

const started = performance.now();
const quiet = process.argv.includes('--quiet');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };

// Every Node bundle: axios and zod bundled, lean; no whitespace or comments (esbuild-agent-lean.mjs).
const node = { ...common, ...nodeBundleOptions() };
const browser = {
  ...common,
  platform: 'browser',
  format: 'esm',
  target: ['chrome120'],
  minify: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.png': 'dataurl', '.svg': 'dataurl', '.woff2': 'file' },
};

const jobs = [
  // The Node bundles split too, so a dynamic import() stays lazy: the agent loads systeminformation
  // and the probes on its first snapshot, not at start. The CLI's entry is a few hundred bytes; each
  // command imports its own chunk (see src/cli/README.md).
  {
    src: 'src/cli/deskside.ts',
    out: 'dist/cli',
    options: {
      ...node,
      // snapshot-worker: the process `deskside agent run` forks per snapshot (src/main/services/daemon.ts).
      entryPoints: { deskside: 'src/cli/deskside.ts', 'snapshot-worker': 'src/main/services/snapshot-worker.ts' },
      splitting: true,
      // Flat, beside the entry: the server finds the console at ../console from whichever chunk holds it.
      chunkNames: '[name]-[hash]',
    },
  },
  {
    src: 'src/main/index.ts',
    out: 'dist/main',
    options: {
      ...node,
      // The snapshot process the app starts per collection (src/main/services/snapshot-process.ts).
      entryPoints: { main: 'src/main/index.ts', 'snapshot-worker': 'src/main/services/snapshot-worker.ts' },
      external: ['electron'],
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    },
  },
  {
    src: 'src/preload/preload.ts',
    out: 'dist/preload',
    options: {
      ...common,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      entryPoints: { preload: 'src/preload/preload.ts' },
      outExtension: { '.js': '.cjs' },
      external: ['electron'],
    },
  },
  // The window splits too: the Markdown renderer loads as a chunk after the first screen.
  {
    src: 'src/renderer/main.tsx',
    out: 'dist/renderer',
    html: 'src/renderer/index.html',
    pages: { 'overlay.html': 'src/renderer/overlay/overlay.html' },
    options: {
      ...browser,
      entryPoints: { app: 'src/renderer/main.tsx', overlay: 'src/renderer/overlay/overlay.ts' },
      splitting: true,
      chunkNames: '[name]-[hash]',
    },
  },
  // The console splits: admin pages (recharts, shared schemas) load as chunks on first use.
  {
    src: 'src/console/main.tsx',
    out: 'dist/console',
    html: 'src/console/index.html',
    options: {
      ...browser,
      entryPoints: { app: 'src/console/main.tsx' },
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    },
  },
];

await Promise.all(
  jobs
    .filter((job) => existsSync(job.src))
    .map(async (job) => {
      await rm(job.out, { recursive: true, force: true });
      await build({ ...job.options, outdir: job.out });
      if (job.html) {
        await mkdir(job.out, { recursive: true });
        await copyFile(job.html, `${job.out}/index.html`);
      }
      for (const [name, page] of Object.entries(job.pages ?? {})) await copyFile(page, `${job.out}/${name}`);
    }),
);
// `deskside --help` answers from a copy of what the command tree prints (src/cli/deskside.ts), written
// here by the built CLI itself (help.txt does not exist yet, so this run goes through commander).
if (existsSync('dist/cli/deskside.js')) {
  const help = execFileSync(process.execPath, ['dist/cli/deskside.js', '--help'], { encoding: 'utf8' });
  await writeFile('dist/cli/help.txt', help);
}
if (!quiet) console.log(`deskside: built dist/ in ${Math.round(performance.now() - started)} ms`);
