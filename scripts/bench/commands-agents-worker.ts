// Simulated agents for the remote-commands bench, in one process: each speaks the live channel's real
// protocol (upgrade with its device token and subprotocol, hello, pong, ack) and hands every `command`
// frame to the agent's real command runner (src/main/services/command-runner.service.ts: signature with
// the pinned key, device, expiry, catalog parameters, nonce kept on disk; IT policy reads=unattended,
// no window) which runs the real action (runAction: `ping -c 1 127.0.0.1`) and answers with
// command.update running, command.output and command.result. Driven by its parent over IPC.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runAction } from '../../src/main/actions/action-runner';
import { createProcessRunner } from '../../src/main/actions/process-runner';
import { createCommandRunner, type CommandRunner } from '../../src/main/services/command-runner.service';
import { createNonceStore } from '../../src/main/services/command-nonce-store';
import type { AgentLogger } from '../../src/main/services/agent-platform';
import { CHANNEL_PATH, CHANNEL_PROTOCOL } from '../../src/shared/channel/channel-limits';
import { frame, parseDownFrame } from '../../src/shared/channel/messages';

export interface SimulatedAgent {
  token: string;
  deviceId: string;
}

interface Start {
  url: string;
  publicKeyPem: string;
  dataDir: string;
  agents: SimulatedAgent[];
}

const quiet: AgentLogger = { info: () => {}, warn: () => {}, error: () => {} };
const processes = createProcessRunner();
const sockets = new Set<WebSocket>();
let live = 0;
let results = 0;
let refusals: string[] = [];

async function connect(url: string, publicKeyPem: string, dataDir: string, agent: SimulatedAgent): Promise<void> {
  const dir = join(dataDir, agent.deviceId);
  await mkdir(dir, { recursive: true });
  let ws: WebSocket | null = null;
  let open = false;
  const runner: CommandRunner = createCommandRunner({
    nonces: createNonceStore({ dataDir: dir, now: Date.now, logger: quiet }),
    deviceId: () => agent.deviceId,
    publicKey: () => publicKeyPem,
    policy: () => ({ reads: 'unattended', changes: 'refuse' }),
    canAsk: () => false,
    send: (message) => {
      if (!ws || !open) return false;
      if (message.type === 'command.result') results++;
      if (message.type === 'command.update' && message.status === 'refused') refusals.push(message.reason ?? '');
      ws.send(frame(message));
      return true;
    },
    onPrompts: () => {},
    run: (name, params, options) => runAction(name, params, { runner: processes, ...options }),
    logger: quiet,
    now: Date.now,
  });
  const dial = () => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}${CHANNEL_PATH}`, [CHANNEL_PROTOCOL], {
      headers: { authorization: `Bearer ${agent.token}` },
      perMessageDeflate: false,
    });
    ws = socket;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('open', () => socket.send(frame({ type: 'hello', cursor: 0, agentVersion: 'bench' })));
    socket.on('message', (data) => {
      const parsed = parseDownFrame(String(data));
      if (!parsed.ok) return;
      const message = parsed.message;
      if (message.type === 'welcome') {
        open = true;
        live++;
        runner.flush();
      } else if (message.type === 'ping') socket.send(frame({ type: 'pong', t: message.t }));
      else if (message.type === 'messages') socket.send(frame({ type: 'ack', cursor: message.cursor }));
      else if (message.type === 'command') runner.receive(message.command, message.reason);
    });
    socket.on('close', () => {
      sockets.delete(socket);
      if (open) live--;
      open = false;
    });
  };
  dial();
}

process.on('message', (raw: { start?: Start; report?: true; stop?: true }) => {
  if (raw.start) {
    const { url, publicKeyPem, dataDir, agents } = raw.start;
    for (const agent of agents) void connect(url, publicKeyPem, dataDir, agent);
  }
  if (raw.report) {
    process.send?.({ live, results, refusals });
    refusals = [];
  }
  if (raw.stop) {
    for (const socket of sockets) socket.close(1000);
    process.send?.({ stopped: true });
  }
});
process.send?.({ ready: true });
