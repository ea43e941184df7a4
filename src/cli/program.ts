import { Command, CommanderError, Option } from 'commander';
import { evaluateHealth } from '../shared/health/rules';
import { diffSnapshots } from '../shared/snapshot/diff';
import { isSectionName, SECTION_NAMES, type SectionName, type Snapshot } from '../shared/snapshot';
import type { CollectOptions } from '../main/diagnostics/collector';
import { formatChanges } from './format/diff';
import { formatFindings } from './format/findings';
import { createStyle } from './format/style';
import { formatSnapshotSummary } from './format/summary';
import { readSnapshotFile, UsageError, type CliIo } from './io';
import { registerAgentCommands } from './agent.command';
import { registerServerCommands } from './server.command';

/** What the commands need from the rest of the agent. */
export interface CliDeps {
  version: string;
  collect(options: CollectOptions): Promise<Snapshot>;
}

/** Exit codes: 0 fine, 1 the check found something that needs attention, 2 bad usage or input. */
export const EXIT = { ok: 0, attention: 1, usage: 2 } as const;

/** Runs the `deskside` command line and resolves to its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, deps, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.err(`deskside: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err(`deskside: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
}

function buildProgram(io: CliIo, deps: CliDeps, setExit: (code: number) => void): Command {
  const style = createStyle(io.stdout);
  const program = new Command('deskside')
    .description('Deskside desktop support agent: diagnostics snapshot, health check and snapshot diff.')
    .version(deps.version, '-v, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`deskside: ${text.replace(/^error: /, '')}`),
    });

  const probeOptions = (command: Command) =>
    command
      .addOption(new Option('--server <url>', 'help-desk server to check for reachability').argParser(parseUrl))
      .addOption(new Option('--check-url <url>', 'extra URL to check (repeatable)').argParser(collectUrls).default([]))
      .addOption(
        new Option('--sections <list>', `comma-separated sections: ${SECTION_NAMES.join(',')}`).argParser(
          parseSections,
        ),
      );

  probeOptions(
    program
      .command('snapshot')
      .description('collect a diagnostics snapshot of this computer and print a summary')
      .option('--json', 'print the full snapshot as JSON')
      .option('--redact', 'hash serial numbers and MAC addresses, drop user names'),
  ).action(async (opts: SnapshotOpts) => {
    const snapshot = await deps.collect(collectOptions(opts));
    io.out(opts.json ? `${JSON.stringify(snapshot, null, 2)}\n` : `${formatSnapshotSummary(snapshot, style)}\n`);
  });

  probeOptions(
    program
      .command('check')
      .description('run the health check; exit code 1 when something needs attention')
      .option('--json', 'print the findings as JSON')
      .option('--input <file>', 'check a saved snapshot instead of this computer'),
  ).action(async (opts: SnapshotOpts & { input?: string }) => {
    const snapshot = opts.input ? await readSnapshotFile(opts.input) : await deps.collect(collectOptions(opts));
    const findings = evaluateHealth(snapshot);
    const host = snapshot.sections.os?.hostname ?? 'This computer';
    io.out(opts.json ? `${JSON.stringify(findings, null, 2)}\n` : `${formatFindings(findings, host, style)}\n`);
    setExit(findings.some((f) => f.severity !== 'info') ? EXIT.attention : EXIT.ok);
  });

  program
    .command('diff')
    .description('list what changed between two snapshots of one device')
    .argument('<before>', 'older snapshot JSON file')
    .argument('<after>', 'newer snapshot JSON file')
    .option('--json', 'print the changes as JSON')
    .action(async (beforePath: string, afterPath: string, opts: { json?: boolean }) => {
      const [before, after] = await Promise.all([readSnapshotFile(beforePath), readSnapshotFile(afterPath)]);
      const changes = diffSnapshots(before, after);
      io.out(opts.json ? `${JSON.stringify(changes, null, 2)}\n` : `${formatChanges(changes, style)}\n`);
    });

  registerAgentCommands(program, io, deps, setExit);
  registerServerCommands(program, io, deps.version);
  return program;
}

interface SnapshotOpts {
  json?: boolean;
  redact?: boolean;
  server?: string;
  checkUrl: string[];
  sections?: SectionName[];
}

function collectOptions(opts: SnapshotOpts): CollectOptions {
  return {
    sections: opts.sections,
    redact: opts.redact === true,
    settings: { serverUrl: opts.server ?? null, checkUrls: opts.checkUrl },
  };
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`only http and https URLs are supported: ${value}`);
  return url.toString();
}

function collectUrls(value: string, previous: string[] = []): string[] {
  return [...previous, parseUrl(value)];
}

function parseSections(value: string): SectionName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isSectionName(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown section ${unknown.join(', ')}; choose from ${SECTION_NAMES.join(', ')}`);
  if (names.length === 0) throw new UsageError('--sections needs at least one section');
  return [...new Set(names)] as SectionName[];
}
