import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Snapshot } from '../../shared/snapshot';
import { SECTION_NAMES, type SectionName } from '../../shared/snapshot/section-names';
import type { AgentLogger } from './agent-platform';
import { ApiCallError, type HelpdeskApi } from './api-client';
import { readJsonFile, writeFileAtomic } from './atomic-file';

/*
 * The fleet stays current between tickets: the agent sends an inventory snapshot on a schedule IT sets
 * (default every 4 hours, ±15% jitter so a fleet does not report in lockstep), with the employee's privacy
 * settings applied. Only what changed travels: each section is hashed, and a section whose hash matches
 * the last one the server acknowledged is named as unchanged instead of sent (the software list, the
 * biggest part, rarely changes). When nothing at all changed, nothing is sent. If the server no longer
 * knows the base (409), the whole snapshot goes. State: <dataDir>/inventory.json.
 */

/** Default interval between inventories. */
export const INVENTORY_INTERVAL_MS = 4 * 3_600_000;
/**
 * Between inventories, this often the agent collects only the sections whose change matters (an OS update,
 * software installed or removed, a security setting turned off) and sends the inventory at once if one of
 * them differs from what the server has. They are stable; the volatile ones (load, memory, processes) are not
 * a reason to report.
 */
export const SIGNIFICANT_CHECK_MS = 3_600_000;
export const SIGNIFICANT_SECTIONS: readonly SectionName[] = ['os', 'software', 'security'];
/** The schedule's jitter, as a share of the interval either way. */
export const INVENTORY_JITTER = 0.15;

interface InventoryState {
  /** The server's id of the last snapshot it stored from this agent, and its sections' hashes. */
  snapshotId: number;
  hashes: Partial<Record<SectionName, string>>;
  sentAt: string;
}

export interface InventoryDeps {
  dataDir: string;
  api: Pick<HelpdeskApi, 'uploadSnapshot' | 'uploadSnapshotDelta'>;
  /** A fresh snapshot with the privacy settings applied (what a ticket would carry); only `sections` if given. */
  collect(sections?: readonly SectionName[]): Promise<Snapshot>;
  /** Whether the agent is enrolled (nothing is sent before). */
  enrolled(): boolean;
  logger: AgentLogger;
  /** From IT's managed config; 0 turns the schedule off. */
  intervalMs(): number;
  now?: () => number;
  random?: () => number;
  significantCheckMs?: number;
}

export type InventoryOutcome =
  | { sent: 'full' | 'delta'; snapshotId: number; sections: number; unchanged: number }
  | { sent: 'nothing'; reason: 'unchanged' | 'not-enrolled' };

export interface Inventory {
  /** Starts the schedule: the first run is due one interval after the last one sent (at once if never). */
  start(): Promise<void>;
  stop(): void;
  /** Collects and sends now (what the schedule runs). */
  runNow(): Promise<InventoryOutcome>;
  /** Collects the significant sections only; sends the inventory if one changed. */
  checkSignificant(): Promise<InventoryOutcome>;
}

/** sha256 of a section's JSON: equal content, equal hash (the collector's key order is stable). */
export function sectionHashes(snapshot: Snapshot): Partial<Record<SectionName, string>> {
  const hashes: Partial<Record<SectionName, string>> = {};
  for (const name of SECTION_NAMES) {
    const section = snapshot.sections[name];
    if (section !== undefined) hashes[name] = createHash('sha256').update(JSON.stringify(section)).digest('hex');
  }
  return hashes;
}

export function createInventory(deps: InventoryDeps): Inventory {
  const file = join(deps.dataDir, 'inventory.json');
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  let state: InventoryState | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checker: ReturnType<typeof setInterval> | null = null;
  let running: Promise<InventoryOutcome> | null = null;
  let stopped = true;

  let loaded: Promise<void> | null = null;
  const load = () => (loaded ??= readState());
  const readState = async () => {
    const raw = (await readJsonFile(file).catch(() => null)) as InventoryState | null;
    state =
      raw && Number.isSafeInteger(raw.snapshotId) && typeof raw.hashes === 'object' && typeof raw.sentAt === 'string'
        ? raw
        : null;
  };

  async function send(): Promise<InventoryOutcome> {
    await load();
    if (!deps.enrolled()) return { sent: 'nothing', reason: 'not-enrolled' };
    const snapshot = await deps.collect();
    const hashes = sectionHashes(snapshot);
    const names = Object.keys(hashes) as SectionName[];
    const unchanged = state ? names.filter((n) => state!.hashes[n] === hashes[n]) : [];
    if (state && unchanged.length === names.length && names.length === Object.keys(state.hashes).length)
      return { sent: 'nothing', reason: 'unchanged' };
    let answer: { snapshotId: number };
    let kind: 'full' | 'delta' = 'full';
    try {
      if (!state || unchanged.length === 0) throw new Error('no base');
      const sections = Object.fromEntries(
        names.filter((n) => !unchanged.includes(n)).map((n) => [n, snapshot.sections[n]]),
      );
      answer = await deps.api.uploadSnapshotDelta({
        base: state.snapshotId,
        unchanged,
        snapshot: { ...snapshot, sections },
      });
      kind = 'delta';
    } catch (error) {
      // No base, or the server does not know it any more (409): the whole snapshot.
      if (error instanceof ApiCallError && error.status !== 409) throw error;
      answer = await deps.api.uploadSnapshot(snapshot);
    }
    state = { snapshotId: answer.snapshotId, hashes, sentAt: new Date(now()).toISOString() };
    await writeFileAtomic(file, JSON.stringify(state));
    return {
      sent: kind,
      snapshotId: answer.snapshotId,
      sections: kind === 'delta' ? names.length - unchanged.length : names.length,
      unchanged: kind === 'delta' ? unchanged.length : 0,
    };
  }

  async function checkSignificant(): Promise<InventoryOutcome> {
    await load();
    if (!deps.enrolled()) return { sent: 'nothing', reason: 'not-enrolled' };
    // Nothing sent yet: the schedule's first run sends everything anyway.
    if (!state) return { sent: 'nothing', reason: 'unchanged' };
    const hashes = sectionHashes(await deps.collect(SIGNIFICANT_SECTIONS));
    const changed = SIGNIFICANT_SECTIONS.filter((name) => hashes[name] !== state!.hashes[name]);
    if (changed.length === 0) return { sent: 'nothing', reason: 'unchanged' };
    deps.logger.info('inventory: a significant change', { sections: changed });
    return runNow();
  }

  function runNow(): Promise<InventoryOutcome> {
    running ??= send().finally(() => (running = null));
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      // The next run is due an interval after this one began, however long this one takes.
      const began = now();
      const after = (delay: number) => schedule(Math.max(0, began + delay - now()));
      void runNow().then(
        (outcome) => {
          if (outcome.sent !== 'nothing') deps.logger.info('inventory sent', outcome);
          after(nextDelay());
        },
        (error: unknown) => {
          deps.logger.warn('inventory failed; retrying later', { error: String(error) });
          // Offline or refused: try again within the hour, not a whole interval later.
          after(Math.min(nextDelay(), 3_600_000 * (0.5 + random())));
        },
      );
    }, delayMs);
    timer.unref?.();
  }

  const nextDelay = () => deps.intervalMs() * (1 - INVENTORY_JITTER + 2 * INVENTORY_JITTER * random());

  return {
    async start() {
      stopped = false;
      await load();
      const interval = deps.intervalMs();
      if (interval <= 0) return;
      const since = state ? now() - Date.parse(state.sentAt) : Number.POSITIVE_INFINITY;
      // Never sent: soon after start (a minute or so, not in the busy first seconds); else when due.
      schedule(
        since >= interval ? 60_000 * (0.5 + random()) : interval - since + interval * INVENTORY_JITTER * random(),
      );
      checker = setInterval(
        () =>
          void checkSignificant().catch((error: unknown) =>
            deps.logger.warn('inventory check failed', { error: String(error) }),
          ),
        deps.significantCheckMs ?? SIGNIFICANT_CHECK_MS,
      );
      checker.unref?.();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (checker) clearInterval(checker);
      timer = null;
      checker = null;
    },
    runNow,
    checkSignificant,
  };
}
