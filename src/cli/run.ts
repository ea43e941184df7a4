import { isatty } from 'node:tty';
import type { Collector } from '../main/diagnostics/collector';
import type { ProcReading } from '../main/diagnostics/probes/proc-reading';
import { processIo } from './io';
import { runCli } from './program';

type Diagnostics = Collector & { dispose(): void };

/** Runs the command line with the real streams and a collector loaded on first use, then exits. */
export async function main(
  argv: readonly string[],
  version: string,
  early: { procBaseline?: ProcReading } = {},
): Promise<void> {
  const loaded: { diagnostics?: Promise<Diagnostics> } = {};
  // The entry's first /proc reading opens the first snapshot's sampling window only.
  let procBaseline = early.procBaseline ?? null;
  const code = await runCli(
    argv,
    {
      ...processIo(),
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
        const baseline = procBaseline;
        procBaseline = null;
        return (await loaded.diagnostics).collect(
          baseline ? { ...options, settings: { ...options.settings, procBaseline: baseline } } : options,
        );
      },
    },
  );
  if (loaded.diagnostics) (await loaded.diagnostics).dispose();
  // Probes that timed out may leave systeminformation calls behind; flush output, then end.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
