import { version } from '../../package.json';

/*
 * Entry point of the `deskside` binary, kept tiny on purpose: Node parses every byte a command
 * loads, so `--version` answers from here and everything else (commander, the commands, their
 * services) is imported by the command that needs it.
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${version}\n`);
} else {
  void import('./run').then(({ main }) => main(argv, version));
}
