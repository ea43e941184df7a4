// Many simulated agents in one process for the network-monitoring bench (netmon.bench.ts), speaking the live
// channel's real protocol (src/shared/channel): upgrade with the device token, hello, pong to pings, and —
// once told to — a `netmon.batch` per agent every interval (jittered, first one at a random point of the
// first interval): 5 samples (gateway, DNS, the server's HTTP check and two IT targets) and the link report
// the agent sends with every cycle (src/main/netmon/netmon.service.ts). Counts batches sent and
// acknowledged (`netmon.ack`) and each ack's latency. Driven by its parent over IPC.
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import WebSocket from 'ws';
import { CHANNEL_PATH, CHANNEL_PROTOCOL, CLOSE } from '../../src/shared/channel/channel-limits';
import { frame, parseDownFrame } from '../../src/shared/channel/messages';
import type { NetLink, NetSample } from '../../src/shared/netmon/netmon';

interface Start {
  url: string;
  tokens: string[];
  /** Index of the first token in the whole fleet (sites and seeds follow the fleet index). */
  offset: number;
  concurrency: number;
  /** Sites the fleet is spread over (by subnet: device i is at 10.(i mod sites).0.0/24). */
  sites: number;
}

export interface NetmonWorkerReport {
  live: number;
  refused: number;
  configs: number;
  sent: number;
  acked: number;
  /** Cycles that found the agent not connected (nothing sent). */
  offline: number;
  latencies: number[];
  rss: number;
}

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const sockets = new Map<number, WebSocket>();
const pending = new Map<string, number>();
const timers = new Set<NodeJS.Timeout>();
let live = 0;
let refused = 0;
let configs = 0;
let sent = 0;
let acked = 0;
let offline = 0;
let latencies: number[] = [];
let cycles = 0;
let sites = 1;

function backoff(attempt: number): number {
  return Math.random() * Math.min(30_000, 500 * 2 ** attempt);
}

function connect(url: string, index: number, token: string, attempt: number, done?: () => void): void {
  let settled = false;
  let welcomed = false;
  const settle = () => {
    if (!settled) {
      settled = true;
      done?.();
    }
  };
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${CHANNEL_PATH}`, [CHANNEL_PROTOCOL], {
    headers: { authorization: `Bearer ${token}` },
    agent,
    perMessageDeflate: false,
  });
  const retry = (delay: number) => {
    settle();
    setTimeout(() => connect(url, index, token, attempt + 1), delay).unref();
  };
  ws.on('unexpected-response', (_req, res) => {
    refused++;
    retry(res.statusCode === 503 ? Number(res.headers['retry-after'] ?? 5) * 1000 : backoff(attempt));
    res.resume();
    ws.terminate();
  });
  ws.on('error', () => {});
  ws.on('open', () => ws.send(frame({ type: 'hello', cursor: 0, agentVersion: 'bench', features: ['netmon'] })));
  ws.on('message', (data) => {
    const parsed = parseDownFrame(String(data));
    if (!parsed.ok) return;
    const message = parsed.message;
    if (message.type === 'welcome') {
      welcomed = true;
      live++;
      sockets.set(index, ws);
      settle();
    } else if (message.type === 'ping') ws.send(frame({ type: 'pong', t: message.t }));
    else if (message.type === 'netmon.config') configs++;
    else if (message.type === 'netmon.ack') {
      const at = pending.get(message.batchId);
      if (at !== undefined) {
        pending.delete(message.batchId);
        acked++;
        latencies.push(performance.now() - at);
      }
    }
  });
  ws.on('close', (code, reason) => {
    if (welcomed) {
      live--;
      sockets.delete(index);
    }
    if (!welcomed && code === CLOSE.tryAgainLater) {
      refused++;
      return retry(Number(String(reason)) * (1 + 0.5 * Math.random()) || backoff(attempt));
    }
    if (!settled || welcomed) retry(backoff(attempt));
  });
}

// Deterministic per-device noise, so a run's samples look like a fleet's and not like one machine's.
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

const TARGETS: { target: NetSample['target']; method: NetSample['method']; baseMs: number }[] = [
  { target: 'gateway', method: 'icmp', baseMs: 1.5 },
  { target: 'dns', method: 'dns', baseMs: 8 },
  { target: 'server', method: 'http', baseMs: 20 },
  { target: 'it:erp', method: 'tcp', baseMs: 14 },
  { target: 'it:intranet', method: 'icmp', baseMs: 4 },
];

/** One cycle's batch of one device at `now`. */
function benchBatch(index: number, now: number, cycle: number) {
  const site = index % sites;
  const samples: NetSample[] = TARGETS.map((t, k) => {
    const r = noise(index * 31 + cycle * 7 + k);
    const lost = r > 0.98 ? 1 : 0;
    const rtt = Math.round(t.baseMs * (0.7 + r) * 1000) / 1000;
    return {
      target: t.target,
      address: `10.${site}.0.${k + 1}`,
      method: t.method,
      at: now + k * 40,
      sent: 4,
      received: 4 - lost,
      rttMs: rtt,
      minMs: Math.round(rtt * 700) / 1000,
      maxMs: Math.round(rtt * 1400) / 1000,
      jitterMs: Math.round(rtt * 150) / 1000,
      ...(t.method === 'http'
        ? { http: { dnsMs: 1, connectMs: rtt / 4, tlsMs: rtt / 2, firstByteMs: rtt, status: 200 } }
        : {}),
    };
  });
  const link: NetLink = {
    at: now,
    interface: 'wlan0',
    subnet: `10.${site}.0.0/24`,
    kind: 'wifi',
    wifi: {
      ssid: 'corp',
      bssid: `02:00:00:00:${(site % 256).toString(16).padStart(2, '0')}:01`,
      signalDbm: -45 - Math.round(noise(index + cycle) * 30),
      rateMbps: 433,
      channel: 36,
      band: '5',
    },
    errors: { rxErrors: 0, txErrors: 0, rxDropped: cycle % 10 === 0 ? 1 : 0, txDropped: 0 },
    vpn: { up: false, name: null },
  };
  return { batchId: randomUUID(), samples, links: [link], bandwidth: [] };
}

function startNetmon(indices: number[], intervalMs: number): void {
  for (const index of indices) {
    const fire = () => {
      const ws = sockets.get(index);
      if (!ws || ws.readyState !== WebSocket.OPEN) offline++;
      else {
        const batch = benchBatch(index, Date.now(), cycles++);
        pending.set(batch.batchId, performance.now());
        ws.send(frame({ type: 'netmon.batch', ...batch }));
        sent++;
      }
      // The next cycle: the interval, ± a tenth of it.
      const next = setTimeout(fire, intervalMs * (0.9 + 0.2 * Math.random()));
      timers.add(next);
      timers.delete(timer);
      timer = next;
    };
    let timer = setTimeout(fire, Math.random() * intervalMs);
    timers.add(timer);
  }
}

let indices: number[] = [];
process.on(
  'message',
  (raw: { start?: Start; netmon?: { intervalMs: number } | false; report?: true; reset?: true }) => {
    if (raw.start) {
      const { url, tokens, offset, concurrency } = raw.start;
      sites = raw.start.sites;
      indices = tokens.map((_, i) => offset + i);
      let next = 0;
      const launch = () => {
        if (next >= tokens.length) return;
        const i = next++;
        connect(url, offset + i, tokens[i]!, 0, launch);
      };
      for (let i = 0; i < Math.min(concurrency, tokens.length); i++) launch();
    }
    if (raw.netmon) startNetmon(indices, raw.netmon.intervalMs);
    if (raw.netmon === false) {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    }
    if (raw.report) {
      const report: NetmonWorkerReport = {
        live,
        refused,
        configs,
        sent,
        acked,
        offline,
        latencies,
        rss: process.memoryUsage().rss,
      };
      process.send?.(report);
    }
    if (raw.reset) {
      latencies = [];
      sent = 0;
      acked = 0;
      offline = 0;
      pending.clear();
    }
  },
);
process.send?.({ ready: true });
