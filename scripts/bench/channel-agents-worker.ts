// Many simulated agents in one process, speaking the live channel's real protocol (src/shared/channel):
// upgrade with the device token and subprotocol, hello with a cursor, pong to pings, ack what arrives,
// and reconnect the way the agent does (exponential backoff with full jitter; a 503's Retry-After).
// Driven by its parent over IPC: { tokens, url } to start; it reports counts and reply latencies.
import { Agent } from 'node:http';
import WebSocket from 'ws';
import { CHANNEL_PATH, CHANNEL_PROTOCOL, CLOSE } from '../../src/shared/channel/channel-limits';
import { frame, parseDownFrame } from '../../src/shared/channel/messages';

interface Start {
  url: string;
  tokens: string[];
  /** Connects in flight at once (the agents of a real fleet do not all start in the same millisecond). */
  concurrency: number;
}

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
let live = 0;
let refused503 = 0;
let refused1013 = 0;
const statuses: Record<number, number> = {};
let other5xx = 0;
let latencies: number[] = [];
const cursors = new Map<string, number>();

function backoff(attempt: number): number {
  return Math.random() * Math.min(30_000, 500 * 2 ** attempt);
}

function connect(url: string, token: string, attempt: number, done?: () => void): void {
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
    setTimeout(() => connect(url, token, attempt + 1), delay).unref();
  };
  ws.on('unexpected-response', (_req, res) => {
    const status = res.statusCode ?? 0;
    if (status >= 500) statuses[status] = (statuses[status] ?? 0) + 1;
    if (res.statusCode === 503) {
      refused503++;
      retry(Number(res.headers['retry-after'] ?? 5) * 1000 * (0.5 + Math.random()));
    } else {
      if (status >= 500) other5xx++;
      retry(backoff(attempt));
    }
    res.resume();
    ws.terminate();
  });
  ws.on('error', () => {});
  ws.on('open', () => ws.send(frame({ type: 'hello', cursor: cursors.get(token) ?? 0, agentVersion: 'bench' })));
  ws.on('message', (data) => {
    const parsed = parseDownFrame(String(data));
    if (!parsed.ok) return;
    const message = parsed.message;
    if (message.type === 'welcome') {
      welcomed = true;
      live++;
      settle();
    } else if (message.type === 'ping') ws.send(frame({ type: 'pong', t: message.t }));
    else if (message.type === 'messages') {
      const now = Date.now();
      for (const m of message.messages) latencies.push(now - Date.parse(m.createdAt));
      cursors.set(token, message.cursor);
      ws.send(frame({ type: 'ack', cursor: message.cursor }));
    }
  });
  ws.on('close', (code, reason) => {
    if (welcomed) live--;
    if (!welcomed && code === CLOSE.tryAgainLater) {
      // Admission control: wait what the server said, plus up to half again (as the agent does).
      refused1013++;
      return retry(Number(String(reason)) * (1 + 0.5 * Math.random()) || backoff(attempt));
    }
    if (!settled) retry(backoff(attempt));
    // The server going away (1001): back after 0.5–15.5 s, as the agent does (channel-policy.ts), so a
    // restarting server is not asked while it closes.
    else if (welcomed && code === CLOSE.goingAway) retry(500 + Math.random() * 15_000);
    else if (welcomed) retry(backoff(1));
  });
}

process.on('message', (raw: { start?: Start; report?: true; resetLatencies?: true }) => {
  if (raw.start) {
    const { url, tokens, concurrency } = raw.start;
    let next = 0;
    const launch = () => {
      if (next >= tokens.length) return;
      const token = tokens[next++]!;
      connect(url, token, 0, launch);
    };
    for (let i = 0; i < Math.min(concurrency, tokens.length); i++) launch();
  }
  if (raw.report)
    process.send?.({ live, refused503, refused1013, other5xx, statuses, latencies, rss: process.memoryUsage().rss });
  if (raw.resetLatencies) latencies = [];
});
process.send?.({ ready: true });
