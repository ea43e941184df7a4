import pkg from '../../package.json';
import { createDiagnostics } from '../main/diagnostics';
import { runCli } from './program';

/** Entry point of the `deskside` binary: wires the real agent to the command line. */
async function main(): Promise<void> {
  const diagnostics = createDiagnostics({ name: 'deskside-cli', version: pkg.version });
  const code = await runCli(
    process.argv.slice(2),
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      stdout: process.stdout,
    },
    { version: pkg.version, collect: (options) => diagnostics.collect(options) },
  );
  diagnostics.dispose();
  // Probes that timed out may leave systeminformation calls behind; flush output, then end.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

void main();
