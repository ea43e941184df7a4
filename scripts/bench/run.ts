// `npm run bench`: prints figures; it asserts nothing. Targets are printed beside the figures.
// BENCH_ONLY=snapshot|server|channel|commands|remote|agent|window|console|cli|netmon (comma-separated) runs some parts.
import { cpus, loadavg, totalmem } from 'node:os';
import { benchAgentCore } from './agent-core.bench';
import { benchAgentWindow } from './agent-window.bench';
import { benchChannel } from './channel.bench';
import { benchCli } from './cli.bench';
import { benchCommands } from './commands.bench';
import { benchNetmon } from './netmon.bench';
import { benchConsole } from './console.bench';
import { benchRemote } from './remote.bench';
import { serverBench } from './server.bench';
import { snapshotBench } from './snapshot.bench';

// Snapshots in the benches ping loopback as the gateway: a bench sends nothing off this machine.
process.env.DESKSIDE_PROBE_GATEWAY ??= '127.0.0.1';
process.env.DESKSIDE_PROBE_RESOLVERS ??= '127.0.0.1';

console.log(`# Deskside benchmarks — ${new Date().toISOString()}`);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const parts: [string, () => Promise<void>][] = [
  ['snapshot', snapshotBench],
  ['server', serverBench],
  ['channel', benchChannel],
  ['commands', benchCommands],
  ['remote', benchRemote],
  ['agent', benchAgentCore],
  ['window', benchAgentWindow],
  ['console', benchConsole],
  ['cli', benchCli],
  ['netmon', benchNetmon],
];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
for (const [name, run] of parts) {
  if (!only || only.includes(name)) await run();
}
process.exit(0);
