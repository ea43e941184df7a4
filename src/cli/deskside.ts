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
else if (process.platform === 'linux' && (argv[0] === 'snapshot' || argv[0] === 'check'))
  void import('../main/diagnostics/probes/proc-reading').then(async ({ readProc }) => {
    const procBaseline = readProc(readdirSync('/proc'), read);
    const { main } = await import('./run');
    await main(argv, version, { procBaseline });
  });
else void import('./run').then(({ main }) => main(argv, version));
