import { parseArgs } from 'node:util';
import { EXIT, processIo, UsageError } from './io';
import { parseChoice, parseServer } from './options';

/*
 * `deskside agent run`'s options, declared once. commander registers them for the command tree and its
 * help (daemon.command.ts); a service start parses them here with node:util's parseArgs (deskside.ts
 * comes here straight), so the daemon never loads commander and the whole command tree: 0.2-0.4 MB of V8
 * heap, measured after full GCs, that a daemon would otherwise hold for as long as it runs.
 */

export const DAEMON_LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type DaemonLogLevel = (typeof DAEMON_LOG_LEVELS)[number];

/** What `agent run` is given. */
export interface RunOpts {
  dataDir?: string;
  logLevel: DaemonLogLevel;
  serverUrl?: string;
  enrollSecret?: string;
  config?: string;
}

export interface RunOption {
  /** commander's flag spelling, value placeholder included. */
  flags: string;
  description: string;
  /** Checks and normalises the value (UsageError for a bad one). */
  parse?: (value: string) => string;
  /** The value when the flag is absent. */
  default?: string;
}

export const AGENT_RUN_OPTIONS = {
  dataDir: {
    flags: '--data-dir <dir>',
    description: 'agent data folder (default: per OS, or DESKSIDE_AGENT_DATA_DIR)',
  },
  logLevel: {
    flags: '--log-level <level>',
    description: DAEMON_LOG_LEVELS.join('|'),
    parse: parseChoice('--log-level', DAEMON_LOG_LEVELS),
    default: 'info' satisfies DaemonLogLevel,
  },
  serverUrl: {
    flags: '--server-url <url>',
    description: "help-desk server URL (overrides IT's managed config)",
    parse: parseServer,
  },
  enrollSecret: { flags: '--enroll-secret <secret>', description: "enrollment secret (overrides IT's managed config)" },
  config: {
    flags: '--config <file>',
    description: "IT's managed config file (default: per OS, or DESKSIDE_AGENT_CONFIG)",
  },
} as const satisfies Record<keyof RunOpts, RunOption>;

const longName = (option: RunOption) => option.flags.split(' ')[0]!.slice(2);

/** `agent run`'s arguments (after `agent run`) as commander would give them; UsageError for a bad one. */
export function parseAgentRunArgs(args: readonly string[]): RunOpts {
  const entries = Object.entries(AGENT_RUN_OPTIONS) as [keyof RunOpts, RunOption][];
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...args],
      options: Object.fromEntries(entries.map(([, option]) => [longName(option), { type: 'string' }])),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new UsageError(`agent run: ${(error as Error).message.split('\n')[0]}`);
  }
  const opts: Partial<Record<keyof RunOpts, string>> = {};
  for (const [key, option] of entries) {
    const value = values[longName(option)];
    if (value !== undefined) opts[key] = option.parse ? option.parse(value) : value;
    else if (option.default !== undefined) opts[key] = option.default;
  }
  return opts as RunOpts;
}

/** `deskside agent run …` from the entry: the daemon until SIGTERM or SIGINT; a bad flag exits 2. */
export async function agentRun(argv: readonly string[], version: string): Promise<void> {
  let opts: RunOpts;
  try {
    opts = parseAgentRunArgs(argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`deskside: ${error.message}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  const { runAction } = await import('./daemon.actions');
  await runAction(
    {
      io: processIo(),
      deps: { version },
      setExit: (code) => (process.exitCode = code),
    },
    opts,
  );
}
