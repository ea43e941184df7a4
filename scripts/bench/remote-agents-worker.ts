// Headless agents for the remote-control bench, in one process: each is the real agent core (enrollment with
// IT's secret, the live channel, the remote-session service) with IT's managed policy `remoteControl:
// { consent: 'unattended', vnc: { server: 'x11vnc', display } }`, so a technician's request is verified, the
// agent starts x11vnc on 127.0.0.1 with a one-time password and pipes its own tunnel to it
// (src/main/services/remote-session.service.ts, vnc-server.ts, remote-tunnel.ts). Driven by its parent over IPC.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentCore } from '../../src/main/services/agent-core';
import type { AgentCore } from '../../src/main/services/agent-platform';
import { benchAgentPlatform } from './bench-agent-platform';

interface Start {
  url: string;
  enrollSecret: string;
  display: string;
  count: number;
}

const cores: AgentCore[] = [];
const dirs: string[] = [];

async function startAgent(start: Start, i: number): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-remote-agent-'));
  dirs.push(dataDir);
  const platform = benchAgentPlatform(dataDir, start.url, start.enrollSecret);
  platform.managed = {
    ...platform.managed,
    remoteControl: { consent: 'unattended', vnc: { server: 'x11vnc', display: start.display } },
  };
  // Several agents on one computer: each its own machine id, or the server would see one device.
  const machine = `bench-remote-${i}-${randomBytes(6).toString('hex')}`;
  const core = createAgentCore(platform, { machineId: async () => machine, inventoryIntervalMs: 0 });
  cores.push(core);
  await core.start();
  const deadline = Date.now() + 60_000;
  while (core.state().enrollment.state !== 'enrolled' || !core.state().online) {
    if (Date.now() > deadline) throw new Error(`agent ${i}: not enrolled and online within 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return core.state().enrollment.deviceId!;
}

process.on('message', (raw: { start?: Start; stop?: true }) => {
  if (raw.start) {
    const start = raw.start;
    void Promise.all(Array.from({ length: start.count }, (_, i) => startAgent(start, i))).then(
      (deviceIds) => process.send?.({ deviceIds }),
      (error: unknown) => process.send?.({ error: String(error) }),
    );
  }
  if (raw.stop) {
    // Stopping the core ends its session: the tunnel closes, x11vnc's process group is ended, its folder removed.
    void Promise.all(cores.map((core) => core.stop()))
      .then(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))
      // Exit on our own (not killed): a --cpu-prof given through BENCH_AGENT_NODE_ARGS is written at exit.
      .finally(() => process.send?.({ stopped: true }, () => process.exit(0)));
  }
});
process.send?.({ ready: true });
