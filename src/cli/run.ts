import { isatty } from 'node:tty';
import type { Collector } from '../main/diagnostics/collector';
import { runCli } from './program';

type Diagnostics = Collector & { dispose(): void };

/** Runs the command line with the real streams and a collector loaded on first use, then exits. */
export async function main(argv: readonly string[], version: string): Promise<void> {
  const loaded: { diagnostics?: Promise<Diagnostics> } = {};
  const code = await runCli(
    argv,
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      stdout: process.stdout,
      // Decided when a command wants to ask: touching process.stdin opens it, which start-up need not do.
      prompter: async () =>
        isatty(0) && isatty(1) && !process.env.CI
          ? (await import('./prompt')).createTerminalPrompter(process.stdin, process.stdout)
          : null,
    },
    {
      version,
      collect: async (options) => {
        loaded.diagnostics ??= import('../main/diagnostics').then((d) =>
          d.createDiagnostics({ name: 'deskside-cli', version }),
        );
        return (await loaded.diagnostics).collect(options);
      },
    },
  );
  if (loaded.diagnostics) (await loaded.diagnostics).dispose();
  // Probes that timed out may leave systeminformation calls behind; flush output, then end.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
