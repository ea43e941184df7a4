import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDeskside } from './helpers/cli';

/*
 * What `deskside --version` and `deskside --help` load, read from the built CLI (dist/cli, built by
 * the global setup): the entry file and the files it imports statically, plus the command tree it
 * imports for everything but --version. Commands load their own modules (zod, the probes, the
 * server) when they run; none of that may creep into start-up. Timings live in the benchmark
 * (npm run bench, part cli); this guards the shape that makes them fast.
 */

const ENTRY = resolve('dist/cli/deskside.js');

interface Loaded {
  files: Map<string, number>;
  packages: Set<string>;
}

const staticImport = /(?<=^|[;}])\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["'];?/gm;
const dynamicImport = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Files reached from `file` by static imports, with their sizes, and the packages they import. */
function staticClosure(file: string, into: Loaded = { files: new Map(), packages: new Set() }): Loaded {
  if (into.files.has(file)) return into;
  const text = readFileSync(file, 'utf8');
  into.files.set(file, Buffer.byteLength(text));
  // zod is bundled into a chunk (scripts/esbuild-agent-lean.mjs), so it shows by its code, not an import:
  // the declaration of its base class, `$constructor("$ZodType", …)` under whatever name minifying gives.
  if (/\(\s*"\$ZodType"\s*,/.test(text)) into.packages.add('zod (bundled)');
  for (const [, spec] of text.matchAll(staticImport)) {
    if (spec!.startsWith('.')) staticClosure(join(dirname(file), spec!), into);
    else into.packages.add(spec!);
  }
  return into;
}

function dynamicTargets(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(dynamicImport)]
    .filter(([, spec]) => spec!.startsWith('.'))
    .map(([, spec]) => join(dirname(file), spec!));
}

const kib = (loaded: Loaded) => [...loaded.files.values()].reduce((a, b) => a + b, 0) / 1024;

describe('deskside start-up', () => {
  it('answers --version and --help from an entry that imports no package (only node:fs) and a few KiB of code', () => {
    const version = staticClosure(ENTRY);
    expect([...version.packages]).toEqual(['node:fs']);
    expect(kib(version)).toBeLessThan(4);
  });

  it("prints, for --help, exactly what the command tree prints (the build's copy is not stale)", async () => {
    const { runCli } = await import('../src/cli/program');
    let inProcess = '';
    const io = {
      out: (t: string) => void (inProcess += t),
      err: () => {},
      stdout: process.stdout,
      prompter: async () => null,
    };
    await runCli(['--help'], io, { version: '0.1.0', collect: () => Promise.reject(new Error('not here')) });
    expect(readFileSync('dist/cli/help.txt', 'utf8')).toBe(inProcess);
    const run = await runDeskside(['--help']);
    expect(run).toEqual({ code: 0, stdout: inProcess, stderr: '' });
    expect((await runDeskside(['-h'])).stdout).toBe(inProcess);
  });

  it('loads for any other command the command tree alone first: commander, no zod, probes, server or agent services', () => {
    const targets = dynamicTargets(ENTRY);
    const run = [...new Set(targets.filter((t) => /\/run-[^/]+\.js$/.test(t)))];
    expect(run).toHaveLength(1);
    const help = staticClosure(run[0]!, staticClosure(ENTRY));
    expect([...help.packages].filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
    expect(kib(help)).toBeLessThan(40);
    // A snapshot's first /proc reading, taken before the rest loads: a module that imports nothing.
    const reading = targets.filter((t) => !run.includes(t) && !/\/agent-run-[^/]+\.js$/.test(t));
    expect(reading.map((t) => /\/proc-reading-[^/]+\.js$/.test(t))).toEqual([true]);
    const early = staticClosure(reading[0]!);
    expect([...early.packages]).toEqual([]);
    expect(kib(early)).toBeLessThan(2);
  });

  it('collects a snapshot (`snapshot`, `check`) without loading zod or tweetnacl', () => {
    const run = dynamicTargets(ENTRY).find((t) => /\/run-[^/]+\.js$/.test(t))!;
    const snapshotPath = [...new Set(dynamicTargets(run))].filter((t) =>
      /\/(snapshot\.actions|diagnostics)-[^/]+\.js$/.test(t),
    );
    expect(snapshotPath).toHaveLength(2);
    const loaded = snapshotPath.reduce((into, file) => staticClosure(file, into), staticClosure(run));
    // zod loads only for a section that fails the generated check (src/shared/snapshot/section-checks.ts),
    // tweetnacl only to open a RustDesk ID.
    expect([...loaded.packages].filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
  });

  it('starts the daemon (`agent run`) without commander or the command tree: its flags are parsed with node:util', () => {
    const targets = [...new Set(dynamicTargets(ENTRY).filter((t) => /\/agent-run-[^/]+\.js$/.test(t)))];
    expect(targets).toHaveLength(1);
    const start = staticClosure(targets[0]!);
    const daemon = [...new Set([...start.files.keys()].flatMap(dynamicTargets))];
    expect(daemon.map((t) => /\/daemon\.actions-[^/]+\.js$/.test(t))).toEqual([true]);
    const loaded = staticClosure(daemon[0]!, start);
    expect(loaded.packages).not.toContain('commander');
    expect([...loaded.files.keys()].filter((file) => /\/run-[^/]+\.js$/.test(file))).toEqual([]);
  });

  it("refuses a bad `agent run` flag as the command tree does, with exit code 2; `agent run --help` is the tree's", async () => {
    expect(await runDeskside(['agent', 'run', '--log-level', 'loud'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'deskside: --log-level must be one of debug, info, warn, error: loud\n',
    });
    const unknown = await runDeskside(['agent', 'run', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^deskside: agent run: Unknown option '--bogus'/);
    const help = await runDeskside(['agent', 'run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: deskside agent run [options]');
    expect(help.stdout).toContain("--config <file>           IT's managed config file");
  });

  it('the daemon (`agent run`) loads zod but not http2, and calls no fetch anywhere it can reach: its lite mode has no WebAssembly for undici', () => {
    const run = dynamicTargets(ENTRY).find((t) => /\/run-[^/]+\.js$/.test(t))!;
    const daemon = [...new Set(dynamicTargets(run))].filter((t) => /\/daemon\.actions-[^/]+\.js$/.test(t));
    expect(daemon).toHaveLength(1);
    // Everything the daemon may load: its static closure and, transitively, what that imports dynamically.
    const loaded = staticClosure(daemon[0]!);
    for (let grew = true; grew;) {
      const before = loaded.files.size;
      for (const file of [...loaded.files.keys()])
        for (const target of dynamicTargets(file)) staticClosure(target, loaded);
      grew = loaded.files.size > before;
    }
    expect(loaded.packages).toContain('zod (bundled)');
    // axios's HTTP/2 transport requires node:http2 on first use only (scripts/esbuild-agent-lean.mjs).
    expect([...loaded.packages].filter((p) => /^(node:)?http2$/.test(p))).toEqual([]);
    const callers = [...loaded.files.keys()].filter((file) => /(?<![\w.$])fetch\(/.test(readFileSync(file, 'utf8')));
    expect(callers).toEqual([]);
  });

  it('the daemon starts without the staff-facing schemas: no snapshot document, diff, SLA, inventory, queue or content-editing module', () => {
    const run = dynamicTargets(ENTRY).find((t) => /\/run-[^/]+\.js$/.test(t))!;
    const daemon = [...new Set(dynamicTargets(run))].find((t) => /\/daemon\.actions-[^/]+\.js$/.test(t))!;
    // The source modules bundled into what the daemon loads at start, from each chunk's source map.
    const sources = [...staticClosure(daemon).files.keys()].flatMap(
      (file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources,
    );
    expect(sources).toContain('../../src/shared/api/tickets.ts');
    const staffSide = /src\/shared\/(snapshot\/(sections|snapshot|diff)|api\/(inventory|queue|sla|content-admin))\.ts$/;
    expect(sources.filter((source) => staffSide.test(source))).toEqual([]);
  });

  it('the daemon starts without the services an idle agent does not use: they are chunks it loads on first use', () => {
    const run = dynamicTargets(ENTRY).find((t) => /\/run-[^/]+\.js$/.test(t))!;
    const daemon = [...new Set(dynamicTargets(run))].find((t) => /\/daemon\.actions-[^/]+\.js$/.test(t))!;
    const atStart = staticClosure(daemon);
    const sources = [...atStart.files.keys()].flatMap(
      (file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources,
    );
    // src/main/services/on-demand-services.ts, and the schemas only they use (the catalog, signed commands,
    // the Fix-it runs' API group).
    const onDemand =
      /src\/(main\/services\/(command-runner|remote-session|share-session|self-service)\.service|main\/services\/speed-test-client|shared\/actions\/(catalog|command-signing)|shared\/remote\/remote-signing|shared\/api\/local-actions)\.ts$/;
    expect(sources.filter((source) => onDemand.test(source))).toEqual([]);
    const later = [...atStart.files.keys()]
      .flatMap(dynamicTargets)
      .map((file) => /([\w.-]+)-[^-/]+\.js$/.exec(file)?.[1]);
    expect(later).toEqual(
      expect.arrayContaining([
        'command-runner.service',
        'remote-session.service',
        'share-session.service',
        'self-service.service',
        'speed-test-client',
      ]),
    );
  });
});
