import type { SnapshotPreview, UserSettings } from '../../shared/ipc/contract';
import type { SectionName, Snapshot } from '../../shared/snapshot';
import { sanitizeMachineDocument } from '../../shared/text/unsafe-text';
import type { CollectOptions } from '../diagnostics/collector';
import type { AgentLogger } from './agent-platform';

/*
 * The snapshot that goes with a ticket. Collection starts in the background when the Get help form
 * opens (snapshot:prepare) with the privacy settings applied: sections IT or the employee excluded
 * are never collected, and redaction hashes serials and MACs. The preview shows exactly that
 * document; at submit, the sections the employee unticked are removed (with their probe reports),
 * so what is sent is what was previewed minus those sections.
 */

/** Snapshot collection, as the diagnostics engine provides it. */
export interface SnapshotCollector {
  collect(options: CollectOptions): Promise<Snapshot>;
}

export interface SnapshotServiceDeps {
  collector: SnapshotCollector;
  privacy: () => UserSettings['privacy'];
  serverUrl: () => string | null;
  logger: AgentLogger;
}

export interface SnapshotService {
  /** Starts collecting unless a collection is running or ready (or `fresh`); returns at once. */
  prepare(fresh: boolean): SnapshotPreview;
  /** Waits for the prepared snapshot. */
  preview(): Promise<SnapshotPreview>;
  /** The snapshot to send: the prepared one (collected now if none), minus `exclude`. */
  forSubmit(exclude: readonly SectionName[]): Promise<Snapshot>;
  /** A full local snapshot for the health check (never sent as is). */
  collectForCheck(): Promise<Snapshot>;
  /**
   * A fresh snapshot for the periodic inventory, with the privacy settings applied (what a ticket
   * carries); `sections` collects only those (the inventory's cheap check for a significant change).
   */
  collectForInventory(sections?: readonly SectionName[]): Promise<Snapshot>;
}

interface Prepared {
  key: string;
  lockedOut: SectionName[];
  promise: Promise<Snapshot>;
  snapshot: Snapshot | null;
  error: string | null;
}

/** Removes sections and their probe reports from a snapshot (a copy). */
export function withoutSections(snapshot: Snapshot, exclude: readonly SectionName[]): Snapshot {
  if (exclude.length === 0) return snapshot;
  const sections = { ...snapshot.sections };
  const probes = { ...snapshot.probes };
  for (const name of exclude) {
    delete sections[name];
    delete probes[name];
  }
  return { ...snapshot, sections, probes };
}

/** Builds the snapshot service. */
export function createSnapshotService(deps: SnapshotServiceDeps): SnapshotService {
  let prepared: Prepared | null = null;

  const settingsNow = () => {
    const privacy = deps.privacy();
    const lockedOut = [...new Set(privacy.excludedSections)].sort() as SectionName[];
    return { privacy, lockedOut, key: JSON.stringify([privacy.redact, lockedOut, deps.serverUrl()]) };
  };

  function start(): Prepared {
    const { privacy, lockedOut, key } = settingsNow();
    const entry: Prepared = {
      key,
      lockedOut,
      snapshot: null,
      error: null,
      promise: deps.collector
        .collect({
          omit: lockedOut,
          redact: privacy.redact,
          settings: { serverUrl: deps.serverUrl() },
        })
        // Odd process or file names must never keep a ticket out of the outbox: repaired here, once.
        .then(sanitizeMachineDocument),
    };
    entry.promise.then(
      (snapshot) => (entry.snapshot = snapshot),
      (error: unknown) => {
        entry.error = error instanceof Error ? error.message : String(error);
        deps.logger.error('snapshot collection failed', { error: entry.error });
      },
    );
    prepared = entry;
    return entry;
  }

  const view = (entry: Prepared): SnapshotPreview => ({
    state: entry.snapshot ? 'ready' : entry.error ? 'failed' : 'collecting',
    error: entry.error,
    snapshot: entry.snapshot,
    lockedOut: entry.lockedOut,
  });

  /** The prepared entry if it still matches the privacy settings; otherwise a new collection. */
  const current = (): Prepared =>
    prepared && prepared.key === settingsNow().key && !prepared.error ? prepared : start();

  return {
    prepare(fresh) {
      return view(fresh ? start() : current());
    },
    async preview() {
      const entry = current();
      await entry.promise.catch(() => {});
      return view(entry);
    },
    async forSubmit(exclude) {
      const entry = current();
      const snapshot = await entry.promise;
      // The next form gets a fresh snapshot, not this one.
      if (prepared === entry) prepared = null;
      return withoutSections(snapshot, [
        ...new Set([...exclude, ...entry.lockedOut.filter((s) => snapshot.probes[s]?.status !== 'omitted')]),
      ]);
    },
    collectForCheck: () => deps.collector.collect({ settings: { serverUrl: deps.serverUrl() } }),
    collectForInventory: (sections) => {
      const { privacy, lockedOut } = settingsNow();
      return deps.collector
        .collect({
          omit: lockedOut,
          redact: privacy.redact,
          settings: { serverUrl: deps.serverUrl() },
          ...(sections ? { sections } : {}),
        })
        .then(sanitizeMachineDocument);
    },
  };
}
