import { join } from 'node:path';
import { abortAfter } from '../services/abort';
import { NETMON_JITTER_FRACTION } from '../../shared/netmon/netmon-limits';
import {
  DEFAULT_NETMON_CONFIG,
  netmonConfigSchema,
  type NetBandwidth,
  type NetBatch,
  type NetmonConfig,
  type NetSample,
} from '../../shared/netmon/netmon';
import type { ProcessRunner } from '../actions/process-runner';
import { mbps } from '../actions/speed-test.action';
import type { SpeedTestPort } from '../actions/types';
import type { AgentLogger } from '../services/agent-platform';
import { readJsonFile, writeFileAtomic } from '../services/atomic-file';
import type { NetmonPlatform } from './icmp.probe';
import type { LinkReader } from './link.probe';
import type { NetmonEnvironment } from './netmon-environment';
import { planJobs, runBounded } from './netmon-plan';
import { createNetmonQueue, type NetmonQueue } from './netmon-queue';

/*
 * Network monitoring on the agent (issue 14): follows IT's probe plan (`netmon.config`, remembered across
 * restarts; nothing is probed before a server has sent one, so an agent of a server without network
 * monitoring neither probes nor queues), runs a cycle every interval at a random offset of up to NETMON_JITTER_FRACTION of it, probes the
 * targets a few at a time, stamps each sample on the server's clock (the skew the channel measured at
 * welcome), queues the results (netmon-queue.ts) and sends them as `netmon.batch` frames while the channel
 * is live. A batch leaves the queue on its `netmon.ack`; after a reconnect the unacknowledged ones go again.
 */

/** Batches sent and not yet acknowledged, at most (the rest wait for acks). */
export const NETMON_IN_FLIGHT_MAX = 4;
/** Targets probed at the same time. */
export const NETMON_CONCURRENCY = 4;
/** A check of whether the OS's ping works is repeated this often after it was refused. */
const PING_RECHECK_MS = 3_600_000;

export interface NetmonDeps {
  dataDir: string;
  logger: AgentLogger;
  platform: NetmonPlatform;
  runner: ProcessRunner;
  environment: NetmonEnvironment;
  /** The link reader (link.probe.ts); null: no link reports. */
  link: LinkReader | null;
  serverUrl(): string | null;
  /** Whether the channel is live now (batches are formed only then, so what waits offline stays one queue). */
  online(): boolean;
  /** Sends a frame while the channel is live; false when it did not go. */
  send(batch: NetBatch): boolean;
  /** The server's clock minus this one, in ms (0 until the channel has said). */
  skewMs(): number;
  /** Bandwidth tests to the server (the speed-test client); absent: none. */
  speedTest?: SpeedTestPort;
  enrolled(): boolean;
  userAgent?: string;
  now?: () => number;
  random?: () => number;
  /** Tests: a smaller cap and frame size for the queue. */
  queue?: { maxSamples?: number; maxFrameBytes?: number };
}

export interface Netmon {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** IT's plan arrived (`netmon.config`): remembered, and the schedule follows it. */
  configure(config: NetmonConfig): void;
  /** `netmon.ack`: the batch is stored on the server. */
  acked(batchId: string): void;
  /** The channel is live again: send the unacknowledged batches, then what waits. */
  connected(): void;
  /** Runs one cycle now if a plan is on (tests; the schedule calls it too). Resolves when its results are queued. */
  runCycle(): Promise<void>;
  /** The plan followed; null before the server has sent one (nothing is probed until then). */
  config(): NetmonConfig | null;
  /**
   * `netmon.measure`: a technician asked for a bandwidth test now. One runs at a time (a second request
   * while one runs is the same request); the result goes out in its own batch. Resolves when it is queued.
   */
  measure(): Promise<void>;
  queue: NetmonQueue;
}

const stateFileSchema = netmonConfigSchema;
/** A requested bandwidth test's limit: both transfers, each time-boxed by the speed-test client. */
const NETMON_MEASURE_TIMEOUT_MS = 40_000;

/** Builds the service; nothing runs until start(). */
export function createNetmon(deps: NetmonDeps): Netmon {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const { logger } = deps;
  const queue = createNetmonQueue({ dataDir: deps.dataDir, logger, ...deps.queue });
  const configFile = join(deps.dataDir, 'netmon', 'config.json');
  /** IT's plan: null until the server has sent one (a server without network monitoring never does). */
  let plan: NetmonConfig | null = null;
  let config: NetmonConfig = DEFAULT_NETMON_CONFIG;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cycle: Promise<void> | null = null;
  let stopper = new AbortController();
  let pingRefusedAt: number | null = null;
  let lastBandwidthAt = 0;
  /** Saves of the plan, one after the other (stop() waits for them). */
  let configWrite: Promise<void> = Promise.resolve();
  /** Batch ids sent on the current connection (a re-send after reconnect sends them again). */
  const sentNow = new Set<string>();

  const serverNow = () => now() + deps.skewMs();

  function schedule(fromNow: number): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!running || !plan?.enabled) return;
    timer = setTimeout(() => {
      timer = null;
      void runCycle().finally(() => {
        // The next cycle one interval later, at a fresh random offset within the jitter window.
        const interval = config.intervalSeconds * 1000;
        schedule(interval * (1 - NETMON_JITTER_FRACTION / 2) + random() * interval * NETMON_JITTER_FRACTION);
      });
    }, fromNow);
    timer.unref?.();
  }

  async function probeAll(signal: AbortSignal): Promise<NetSample[]> {
    const jobs = await planJobs(config, {
      platform: deps.platform,
      runner: deps.runner,
      environment: deps.environment,
      serverUrl: deps.serverUrl(),
      userAgent: deps.userAgent,
      ping: {
        allowed: () => pingRefusedAt === null || now() - pingRefusedAt > PING_RECHECK_MS,
        refused: () => {
          if (pingRefusedAt === null) logger.warn('netmon: the OS does not let this agent ping; using TCP connects');
          pingRefusedAt = now();
        },
      },
    });
    return runBounded(
      jobs.map((job) => async (): Promise<NetSample> => {
        const at = Math.round(serverNow());
        try {
          const r = await job.run(signal);
          return { target: job.target, address: job.address, at, ...r };
        } catch (error) {
          logger.warn('netmon: a probe failed to run', { target: job.target, error: String(error) });
          return {
            target: job.target,
            address: job.address,
            method: 'tcp',
            at,
            sent: 0,
            received: 0,
            rttMs: null,
            minMs: null,
            maxMs: null,
            jitterMs: null,
            error: 'probe-failed',
          };
        }
      }),
      NETMON_CONCURRENCY,
    );
  }

  async function bandwidth(signal: AbortSignal): Promise<NetBandwidth | null> {
    const hours = config.bandwidthEveryHours;
    if (!deps.speedTest || hours === 0 || now() - lastBandwidthAt < hours * 3_600_000) return null;
    return measureBandwidth(signal, 'schedule');
  }

  async function measureBandwidth(signal: AbortSignal, trigger: NetBandwidth['trigger']): Promise<NetBandwidth | null> {
    if (!deps.speedTest) return null;
    lastBandwidthAt = now();
    const at = Math.round(serverNow());
    const down = await deps.speedTest.download(config.bandwidthBytes, signal);
    const up = await deps.speedTest.upload(config.bandwidthBytes, signal);
    if (!down.ok && !up.ok) {
      logger.warn('netmon: the bandwidth test failed', { error: down.error.message });
      return null;
    }
    return {
      at,
      downMbps: down.ok ? mbps(down.value.bytes, down.value.ms) : null,
      upMbps: up.ok ? mbps(up.value.bytes, up.value.ms) : null,
      bytes: (down.ok ? down.value.bytes : 0) + (up.ok ? up.value.bytes : 0),
      trigger,
    };
  }

  async function runCycle(): Promise<void> {
    if (cycle) return cycle;
    cycle = (async () => {
      if (!plan?.enabled || !deps.enrolled()) return;
      // A cycle never outlives its interval (every probe has its own timeout well inside it).
      const { signal, clear } = abortAfter(stopper.signal, config.intervalSeconds * 1000);
      try {
        await cycleWithin(signal);
      } finally {
        clear();
      }
    })().finally(() => {
      cycle = null;
    });
    return cycle;
  }

  /** One cycle's probes, link reading and bandwidth test, all ended by `signal`; their results queued. */
  async function cycleWithin(signal: AbortSignal): Promise<void> {
    const linkAt = Math.round(serverNow());
    const [samples, link] = await Promise.all([
      probeAll(signal),
      deps.link?.read(linkAt).catch((error: unknown) => {
        logger.warn('netmon: the link could not be read', { error: String(error) });
        return null;
      }) ?? Promise.resolve(null),
    ]);
    const test = await bandwidth(signal).catch(() => null);
    if (stopper.signal.aborted) return;
    queue.add({ samples, links: link ? [link] : [], bandwidth: test ? [test] : [] });
    pump();
  }

  /** Sends unacknowledged batches not sent on this connection, then new ones, up to NETMON_IN_FLIGHT_MAX. */
  function pump(): void {
    if (!deps.online()) return;
    for (const batch of queue.unacked()) {
      if (sentNow.has(batch.batchId)) continue;
      if (!deps.send(batch)) return;
      sentNow.add(batch.batchId);
    }
    while (queue.unacked().length < NETMON_IN_FLIGHT_MAX) {
      const batch = queue.nextBatch();
      if (!batch) return;
      if (!deps.send(batch)) return;
      sentNow.add(batch.batchId);
    }
  }

  let measuring: Promise<void> | null = null;
  function measure(): Promise<void> {
    // IT turned monitoring off: no test either, even when asked.
    if (!running || !deps.enrolled() || plan?.enabled === false) return Promise.resolve();
    measuring ??= (async () => {
      const { signal, clear } = abortAfter(stopper.signal, NETMON_MEASURE_TIMEOUT_MS);
      const test = await measureBandwidth(signal, 'request')
        .catch(() => null)
        .finally(clear);
      if (!test || stopper.signal.aborted) return;
      queue.add({ samples: [], links: [], bandwidth: [test] });
      pump();
    })().finally(() => {
      measuring = null;
    });
    return measuring;
  }

  return {
    queue,
    config: () => plan,
    measure,
    async start() {
      if (running) return;
      running = true;
      stopper = new AbortController();
      await queue.load();
      const saved = await readJsonFile(configFile).catch(() => undefined);
      const parsed = stateFileSchema.safeParse(saved);
      if (saved !== undefined && parsed.success) config = plan = parsed.data;
      schedule(random() * config.intervalSeconds * 1000 * NETMON_JITTER_FRACTION);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      stopper.abort();
      await cycle?.catch(() => {});
      await Promise.all([queue.flush(), configWrite]);
    },
    configure(next) {
      const changed = plan === null || JSON.stringify(next) !== JSON.stringify(plan);
      config = plan = next;
      if (!changed) return;
      logger.info('netmon: probe plan received', { enabled: next.enabled, intervalSeconds: next.intervalSeconds });
      configWrite = configWrite
        .then(() => writeFileAtomic(configFile, JSON.stringify(next)))
        .then(
          () => undefined,
          (error: unknown) => logger.warn('netmon: the probe plan could not be saved', { error: String(error) }),
        );
      schedule(random() * next.intervalSeconds * 1000 * NETMON_JITTER_FRACTION);
    },
    acked(batchId) {
      sentNow.delete(batchId);
      if (queue.ack(batchId)) pump();
    },
    connected() {
      sentNow.clear();
      pump();
    },
    runCycle,
  };
}
