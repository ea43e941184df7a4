import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AgentLogger,
  AgentNotification,
  AgentPlatform,
  ManagedConfig,
  SettingsStore,
} from '../../src/main/services/agent-platform';
import type { SnapshotCollector } from '../../src/main/services/snapshot.service';
import type { SectionName } from '../../src/shared/snapshot';
import { healthySnapshot } from '../fixtures/snapshot-factory';

/** An in-memory SettingsStore (top-level keys, values deep-copied like a real store). */
export function createMemorySettingsStore(
  initial: Record<string, unknown> = {},
): SettingsStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>(Object.entries(structuredClone(initial)));
  return {
    data,
    get: (key) => structuredClone(data.get(key)),
    set: (key, value) => void (value === undefined ? data.delete(key) : data.set(key, structuredClone(value))),
  };
}

/** A logger that keeps its lines for assertions. */
export function createMemoryLogger(): AgentLogger & {
  lines: Array<{ level: string; message: string; details?: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; details?: Record<string, unknown> }> = [];
  return {
    lines,
    info: (message, details) => void lines.push({ level: 'info', message, details }),
    warn: (message, details) => void lines.push({ level: 'warn', message, details }),
    error: (message, details) => void lines.push({ level: 'error', message, details }),
  };
}

/** A fake host for the agent core: temp data folder, memory settings, recorded notifications. */
export interface FakePlatform extends AgentPlatform {
  notifications: AgentNotification[];
  opened: string[];
  startAtLogin: boolean[];
  logger: ReturnType<typeof createMemoryLogger>;
  settings: ReturnType<typeof createMemorySettingsStore>;
  cleanup(): Promise<void>;
}

/** Builds a fake platform over a fresh temp folder (or `dataDir`). */
export async function createFakePlatform(
  options: {
    managed?: Partial<ManagedConfig>;
    settings?: Record<string, unknown>;
    dataDir?: string;
    capture?: boolean;
  } = {},
): Promise<FakePlatform> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'deskside-agent-')));
  const notifications: AgentNotification[] = [];
  const opened: string[] = [];
  const startAtLogin: boolean[] = [];
  const platform: FakePlatform = {
    appName: 'Deskside',
    version: '0.1.0-test',
    dataDir,
    logFile: join(dataDir, 'agent.log'),
    managedConfigPath: join(dataDir, 'managed.json'),
    managed: { sources: [], ...options.managed },
    settings: createMemorySettingsStore(options.settings),
    logger: createMemoryLogger(),
    notifications,
    opened,
    startAtLogin,
    notify: (n) => void notifications.push(n),
    openExternal: async (url) => void opened.push(url),
    setStartAtLogin: (enabled) => void startAtLogin.push(enabled),
    // The agent may still be writing a last file as it stops: retry on ENOTEMPTY (Node's rm does).
    cleanup: () => rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
  };
  if (options.capture) {
    // A 1×1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    platform.captureScreen = async () => ({ png: new Uint8Array(png), width: 1, height: 1 });
  }
  return platform;
}

/** A collector that returns the healthy fixture snapshot, honouring omit and redact like the real one. */
export function createFixtureCollector(delayMs = 0): SnapshotCollector & { calls: number } {
  const fake = {
    calls: 0,
    async collect(options: { omit?: readonly SectionName[]; redact?: boolean } = {}) {
      fake.calls++;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const snap = healthySnapshot();
      for (const name of options.omit ?? []) {
        delete snap.sections[name];
        snap.probes[name] = { status: 'omitted', durationMs: 0, error: null };
      }
      return { ...snap, redacted: options.redact === true };
    },
  };
  return fake;
}
