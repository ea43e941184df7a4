import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { CHANNEL_MAX_FRAME_BYTES } from '../../shared/channel/channel-limits';
import {
  NETMON_BATCH_BANDWIDTH_MAX,
  NETMON_BATCH_LINKS_MAX,
  NETMON_BATCH_SAMPLES_MAX,
  NETMON_QUEUE_MAX,
} from '../../shared/netmon/netmon-limits';
import {
  netBandwidthSchema,
  netLinkSchema,
  netSampleSchema,
  type NetBandwidth,
  type NetBatch,
  type NetLink,
  type NetSample,
} from '../../shared/netmon/netmon';
import type { AgentLogger } from '../services/agent-platform';
import { readJsonFile, writeFileAtomic } from '../services/atomic-file';

/*
 * Network monitoring's outbox: results wait here, in the order they were measured, until the help desk
 * acknowledges the batch that carried them. The whole queue is one JSON file written atomically (the
 * outbox's atomic-file.ts), rewritten after each change (writes coalesce: at most one runs, the latest state
 * follows it). A batch once formed keeps its id and content until acknowledged, so a re-send after a
 * reconnect is the same batch and the server stores it once. Capped at NETMON_QUEUE_MAX samples: the
 * oldest go first (from the oldest unacknowledged batch, then the oldest waiting).
 */

/** Links and bandwidth tests kept while offline (one link report per cycle: a day at 60 s, and more). */
export const NETMON_QUEUE_LINKS_MAX = 2_000;
export const NETMON_QUEUE_BANDWIDTH_MAX = 50;

const batchFileSchema = z.object({
  batchId: z.uuid(),
  samples: z.array(netSampleSchema),
  links: z.array(netLinkSchema),
  bandwidth: z.array(netBandwidthSchema),
});
const fileSchema = z.object({
  version: z.literal(1),
  /** Formed and sent at least once, not yet acknowledged: re-sent as they are after a reconnect. */
  batches: z.array(batchFileSchema),
  samples: z.array(netSampleSchema),
  links: z.array(netLinkSchema),
  bandwidth: z.array(netBandwidthSchema),
});
type QueueFile = z.infer<typeof fileSchema>;
export type QueuedBatch = Required<NetBatch>;

export interface NetmonQueue {
  load(): Promise<void>;
  add(items: { samples?: NetSample[]; links?: NetLink[]; bandwidth?: NetBandwidth[] }): void;
  /** Unacknowledged batches, oldest first (sent again after a reconnect). */
  unacked(): readonly QueuedBatch[];
  /** Forms the next batch from what waits (null when nothing does); it stays queued until ack(). */
  nextBatch(): QueuedBatch | null;
  /** The server stored the batch: it leaves the queue. False when no such batch was waiting. */
  ack(batchId: string): boolean;
  counts(): { samples: number; links: number; bandwidth: number; batches: number; dropped: number };
  /** Resolves once everything changed so far is on disk. */
  flush(): Promise<void>;
}

/** The frame a batch travels in must stay under the channel's limit, with room for the type field. */
export function frameBytes(batch: QueuedBatch): number {
  return Buffer.byteLength(JSON.stringify({ type: 'netmon.batch', ...batch }));
}

/** Opens (or starts) the queue file `netmon/queue.json` in the agent's data folder. */
export function createNetmonQueue(options: {
  dataDir: string;
  logger: AgentLogger;
  maxSamples?: number;
  maxFrameBytes?: number;
}): NetmonQueue {
  const file = join(options.dataDir, 'netmon', 'queue.json');
  const maxSamples = options.maxSamples ?? NETMON_QUEUE_MAX;
  const maxFrame = options.maxFrameBytes ?? CHANNEL_MAX_FRAME_BYTES;
  let state: QueueFile = { version: 1, batches: [], samples: [], links: [], bandwidth: [] };
  let dropped = 0;
  let writing: Promise<void> | null = null;
  let dirty = false;

  function persist(): void {
    dirty = true;
    if (writing) return;
    writing = (async () => {
      while (dirty) {
        dirty = false;
        try {
          await writeFileAtomic(file, JSON.stringify(state), { mode: 0o600 });
        } catch (error) {
          options.logger.warn('netmon: the queue could not be written', { error: String(error) });
        }
      }
      writing = null;
    })();
  }

  /** Drops the oldest samples (and links, bandwidth tests) beyond the caps. */
  function cap(): void {
    const total = () => state.samples.length + state.batches.reduce((n, b) => n + b.samples.length, 0);
    let over = total() - maxSamples;
    while (over > 0) {
      const oldest = state.batches.find((b) => b.samples.length > 0);
      const from = oldest ? oldest.samples : state.samples;
      const n = Math.min(over, from.length);
      from.splice(0, n);
      over -= n;
      dropped += n;
    }
    // A batch left empty by the cap carries nothing worth sending.
    state.batches = state.batches.filter((b) => b.samples.length + b.links.length + b.bandwidth.length > 0);
    if (state.links.length > NETMON_QUEUE_LINKS_MAX) state.links.splice(0, state.links.length - NETMON_QUEUE_LINKS_MAX);
    if (state.bandwidth.length > NETMON_QUEUE_BANDWIDTH_MAX)
      state.bandwidth.splice(0, state.bandwidth.length - NETMON_QUEUE_BANDWIDTH_MAX);
  }

  return {
    async load() {
      let raw: unknown;
      try {
        raw = await readJsonFile(file);
      } catch (error) {
        options.logger.warn('netmon: the queue file is unreadable; starting empty', { error: String(error) });
        return;
      }
      if (raw === undefined) return;
      const parsed = fileSchema.safeParse(raw);
      if (parsed.success) state = parsed.data;
      else
        options.logger.warn('netmon: the queue file does not match; starting empty', { error: parsed.error.message });
    },
    add(items) {
      state.samples.push(...(items.samples ?? []));
      state.links.push(...(items.links ?? []));
      state.bandwidth.push(...(items.bandwidth ?? []));
      cap();
      persist();
    },
    unacked: () => state.batches,
    nextBatch() {
      if (state.samples.length + state.links.length + state.bandwidth.length === 0) return null;
      let n = Math.min(NETMON_BATCH_SAMPLES_MAX, state.samples.length);
      const batchId = randomUUID();
      const form = (count: number): QueuedBatch => ({
        batchId,
        samples: state.samples.slice(0, count),
        links: state.links.slice(0, NETMON_BATCH_LINKS_MAX),
        bandwidth: state.bandwidth.slice(0, NETMON_BATCH_BANDWIDTH_MAX),
      });
      let batch = form(n);
      // Halve the samples until the frame fits (a sample is a few hundred bytes; HTTP timings add more).
      while (n > 1 && frameBytes(batch) >= maxFrame) {
        n = Math.ceil(n / 2);
        batch = form(n);
      }
      state.samples.splice(0, batch.samples.length);
      state.links.splice(0, batch.links.length);
      state.bandwidth.splice(0, batch.bandwidth.length);
      state.batches.push(batch);
      persist();
      return batch;
    },
    ack(batchId) {
      const before = state.batches.length;
      state.batches = state.batches.filter((b) => b.batchId !== batchId);
      if (state.batches.length === before) return false;
      persist();
      return true;
    },
    counts: () => ({
      samples: state.samples.length + state.batches.reduce((n, b) => n + b.samples.length, 0),
      links: state.links.length + state.batches.reduce((n, b) => n + b.links.length, 0),
      bandwidth: state.bandwidth.length + state.batches.reduce((n, b) => n + b.bandwidth.length, 0),
      batches: state.batches.length,
      dropped,
    }),
    async flush() {
      while (writing) await writing;
    },
  };
}
