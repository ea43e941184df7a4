import { Command, CommanderError, Option } from 'commander';
import type { Snapshot } from '../shared/snapshot';
import { SECTION_NAMES, type SectionName } from '../shared/snapshot/section-names';
import type { CollectOptions } from '../main/diagnostics/collector';
import { registerAgentCommands } from './agent.command';
import { registerDaemonCommands } from './daemon.command';
import { EXIT, UsageError, type CliIo } from './io';
import { collectUrls, parseSections, parseUrl } from './options';
import { registerServerCommands } from './server.command';

/*
 * The command tree: names, flags and help only. Each action imports its module when it runs, so
 * `--help` or a bad flag loads commander and this file, not zod, the probes or the server.
 */

/** What the commands need from the rest of the agent. */
export interface CliDeps {
  version: string;
  collect(options: CollectOptions): Promise<Snapshot>;
}

/** What an action gets besides its arguments. */
export interface CommandContext {
  io: CliIo;
  deps: CliDeps;
  setExit(code: number): void;
}

/** Runs the `deskside` command line and resolves to its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram({ io, deps, setExit: (code) => (exitCode = code) });
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

/** The options `snapshot` and `check` share. */
export interface SnapshotOpts {
  json?: boolean;
  redact?: boolean;
  server?: string;
  checkUrl: string[];
  sections?: SectionName[];
}

function buildProgram(ctx: CommandContext): Command {
  const { io, deps } = ctx;
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
  ).action(async (opts: SnapshotOpts) => (await import('./snapshot.actions')).snapshotAction(ctx, opts));

  probeOptions(
    program
      .command('check')
      .description('run the health check; exit code 1 when something needs attention')
      .option('--json', 'print the findings as JSON')
      .option('--input <file>', 'check a saved snapshot instead of this computer'),
  ).action(async (opts: SnapshotOpts & { input?: string }) =>
    (await import('./snapshot.actions')).checkAction(ctx, opts),
  );

  program
    .command('diff')
    .description('list what changed between two snapshots of one device')
    .argument('<before>', 'older snapshot JSON file')
    .argument('<after>', 'newer snapshot JSON file')
    .option('--json', 'print the changes as JSON')
    .action(async (before: string, after: string, opts: { json?: boolean }) =>
      (await import('./diff.actions')).diffAction(ctx, before, after, opts),
    );

  registerAgentCommands(program, ctx);
  registerDaemonCommands(program, ctx);
  registerServerCommands(program, ctx);
  return program;
}
