import { readdirSync, readFileSync } from 'node:fs';
import { version } from '../../package.json';

/*
 * Entry point of the `deskside` binary, kept tiny on purpose: Node parses every byte a command
 * loads, so `--version` answers from here, `--help` prints the text the command tree wrote at build
 * time (scripts/build.mjs runs `deskside --help` once and keeps its output as help.txt beside this
 * file), and everything else (commander, the commands, their services) is imported by the command
 * that needs it. A snapshot (`snapshot`, `check`) takes its first /proc reading here, so the CPU
 * and process sampling window runs while the program loads instead of after.
 */

/*
 * A snapshot is one short burst of allocation, most of which survives until the JSON is printed, so
 * V8 grows its young generation for it (to ~16 MB). Growth factor 1 keeps the young generation at its
 * initial size, and size-over-speed heuristics do the rest: peak RSS 66 -> 62.5 MB for ~5 ms (npm run
 * bench, part snapshot). Both are read when the heap decides, so they work set at run time; they are
 * not set for other commands (the server and the daemon run long, and the server wants throughput).
 */
const SNAPSHOT_V8_FLAGS = ['--semi-space-growth-factor=1', '--optimize-for-size'];
const argv = process.argv.slice(2);
const only = argv.length === 1 ? argv[0] : undefined;

/** The build's copy of the top-level help, or null (not built yet: the command tree answers). */
function builtHelp(): string | null {
  try {
    return readFileSync(new URL('./help.txt', import.meta.url), 'utf8');
  } catch {
    return null;
  }
}

/** Reads a file, or null. */
function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

const help = only === '--help' || only === '-h' ? builtHelp() : null;
if (only === '--version' || only === '-v') process.stdout.write(`${version}\n`);
else if (help !== null) process.stdout.write(help);
else if (argv[0] === 'snapshot' || argv[0] === 'check') void snapshotCommand();
// The daemon: its few flags parsed without commander and the command tree, which it would hold for months.
else if (argv[0] === 'agent' && argv[1] === 'run' && !argv.includes('--help') && !argv.includes('-h'))
  void import('./agent-run').then(({ agentRun }) => agentRun(argv, version));
else {
  // The chunks are minified; the server's logged stack traces name the TypeScript files and lines (source
  // maps are read for the chunks loaded from here on; function names stay minified). Not for the daemon:
  // its memory is a target.
  if (argv[0] === 'server') process.setSourceMapsEnabled(true);
  void import('./run').then(({ main }) => main(argv, version));
}

async function snapshotCommand(): Promise<void> {
  const [{ setFlagsFromString }, proc] = await Promise.all([
    import('node:v8'),
    process.platform === 'linux' ? import('../main/diagnostics/probes/proc-reading') : null,
  ]);
  for (const flag of SNAPSHOT_V8_FLAGS) setFlagsFromString(flag);
  const procBaseline = proc?.readProc(readdirSync('/proc'), read);
  const { main } = await import('./run');
  await main(argv, version, procBaseline ? { procBaseline } : undefined);
}
