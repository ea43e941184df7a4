import { DEFAULT_PROBE_SETTINGS } from '../../src/main/diagnostics/collector';
import { createCommandRunner } from '../../src/main/diagnostics/command-runner';
import { createFileReader, type FileReader, type FsSpace } from '../../src/main/diagnostics/file-reader';
import { createPowerShell, type PowerShell } from '../../src/main/diagnostics/powershell';
import {
  createShared,
  type Platform,
  type Probe,
  type ProbeContext,
  type ProbeSettings,
} from '../../src/main/diagnostics/probe';
import type { SectionName, Sections } from '../../src/shared/snapshot';
import { createSystemInfo, type SystemInfo } from '../../src/main/diagnostics/system-info';
import { fakeCommandRunner, type FakeCommandAnswer } from './command-runner.fake';

/** What a test may set; everything else gets a harmless default. */
export interface FakeProbeContextOverrides {
  platform?: Platform;
  /** A runner; when absent one is built from `commands`. */
  run?: ProbeContext['run'];
  /** Canned command answers for the default fake runner (see fakeCommandRunner). */
  commands?: Record<string, FakeCommandAnswer>;
  /** A session, or canned stdout by exact script text (see fakePowerShell). */
  powershell?: PowerShell | Record<string, FakeScriptAnswer>;
  /** A reader, or file contents by absolute path (a key ending in "/" is an empty folder). */
  files?: FileReader | Record<string, string>;
  /** systeminformation functions to answer; any other one rejects. */
  si?: Partial<SystemInfo>;
  settings?: Partial<ProbeSettings>;
  signal?: AbortSignal;
  now?: () => Date;
}

/** Builds a ProbeContext for tests: a signal that never fires, default settings, fake ports. */
export function fakeProbeContext(overrides: FakeProbeContextOverrides = {}): ProbeContext {
  return {
    platform: overrides.platform ?? 'linux',
    signal: overrides.signal ?? new AbortController().signal,
    run: overrides.run ?? fakeCommandRunner(overrides.commands ?? {}),
    powershell: isPowerShell(overrides.powershell) ? overrides.powershell : fakePowerShell(overrides.powershell ?? {}),
    files: isFileReader(overrides.files) ? overrides.files : fakeFileReader(overrides.files ?? {}),
    si: fakeSystemInfo(overrides.si ?? {}),
    settings: { ...DEFAULT_PROBE_SETTINGS, ...overrides.settings },
    now: overrides.now ?? (() => new Date('2025-01-15T09:30:00.000Z')),
    shared: createShared(),
  };
}

/** The platform this test process runs on, as probes name it. */
export function hostPlatform(): Platform {
  const p = process.platform;
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other';
}

/**
 * A ProbeContext over the real ports of this machine, for live tests; the signal fires after
 * `budgetMs` as the collector's would. Call `release` when done (it ends a Windows PowerShell session).
 */
export function liveProbeContext(budgetMs: number): ProbeContext & { release(): void } {
  const powershell = createPowerShell();
  return {
    platform: hostPlatform(),
    signal: AbortSignal.timeout(budgetMs),
    run: createCommandRunner(),
    powershell,
    files: createFileReader(),
    si: createSystemInfo(),
    settings: { ...DEFAULT_PROBE_SETTINGS },
    now: () => new Date(),
    shared: createShared(),
    release: () => powershell.release(),
  };
}

/** Runs a probe live on this machine and times it, as the collector would. */
export async function collectLive<K extends SectionName>(
  probe: Probe<K>,
): Promise<{ section: Sections[K]; ms: number }> {
  const ctx = liveProbeContext(probe.budgetMs);
  const started = performance.now();
  try {
    const section = await probe.collect(ctx);
    return { section, ms: performance.now() - started };
  } finally {
    ctx.release();
  }
}

/** A canned script answer: its stdout, or a session failure such as 'timeout'. */
export type FakeScriptAnswer = string | { error: string; message?: string };

/** A PowerShell session answering from a table keyed by the exact script; records the scripts it ran. */
export function fakePowerShell(answers: Record<string, FakeScriptAnswer>): PowerShell & { readonly scripts: string[] } {
  const scripts: string[] = [];
  return {
    scripts,
    async run(script) {
      scripts.push(script);
      const answer = Object.hasOwn(answers, script) ? answers[script] : undefined;
      // Like the real port off Windows: an unknown script is a failure, never an empty success.
      if (answer === undefined) return { ok: false, error: { code: 'unsupported', message: 'script not faked' } };
      if (typeof answer === 'string') return { ok: true, value: answer };
      return { ok: false, error: { code: answer.error, message: answer.message ?? answer.error } };
    },
  };
}

/**
 * A FileReader over an in-memory tree. Folders exist implicitly above every file, so `list`
 * answers the next path segment of every key below the folder; both "/" and "\" separate.
 */
export function fakeFileReader(
  files: Record<string, string>,
  spaces: Record<string, FsSpace> = {},
  links: Record<string, string> = {},
): FileReader {
  const trim = (path: string) => path.replace(/[\\/]+$/, '');
  return {
    async readText(path, maxBytes) {
      if (!Object.hasOwn(files, path) || /[\\/]$/.test(path)) return null;
      const text = files[path] ?? '';
      return maxBytes === undefined ? text : Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
    },
    readTextSync(path, maxBytes) {
      if (!Object.hasOwn(files, path) || /[\\/]$/.test(path)) return null;
      const text = files[path] ?? '';
      return maxBytes === undefined ? text : Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
    },
    // Binary files are given as latin1 strings: one character per byte.
    async readBytes(path, maxBytes) {
      if (!Object.hasOwn(files, path) || /[\\/]$/.test(path)) return null;
      const bytes = Buffer.from(files[path] ?? '', 'latin1');
      return maxBytes === undefined ? bytes : bytes.subarray(0, maxBytes);
    },
    async list(path) {
      const folder = trim(path);
      const entries = new Set<string>();
      let exists = false;
      for (const key of Object.keys(files)) {
        if (trim(key) === folder && /[\\/]$/.test(key)) exists = true;
        if (!key.startsWith(folder) || !/^[\\/]/.test(key.slice(folder.length))) continue;
        exists = true;
        const name = key.slice(folder.length + 1).split(/[\\/]/)[0];
        if (name) entries.add(name);
      }
      return exists ? [...entries].sort() : null;
    },
    async readLink(path) {
      return links[path] ?? null;
    },
    async space(path) {
      return spaces[path] ?? null;
    },
  };
}

/** A systeminformation stand-in: given functions answer, every other one rejects like a failing call. */
export function fakeSystemInfo(given: Partial<SystemInfo>): SystemInfo {
  return new Proxy(given, {
    get(target, name) {
      if (typeof name === 'string' && Object.hasOwn(target, name)) return target[name as keyof SystemInfo];
      return () => Promise.reject(new Error(`si.${String(name)} is not faked in this test`));
    },
  }) as SystemInfo;
}

function isPowerShell(value: unknown): value is PowerShell {
  return typeof value === 'object' && value !== null && typeof (value as PowerShell).run === 'function';
}

function isFileReader(value: unknown): value is FileReader {
  return typeof value === 'object' && value !== null && typeof (value as FileReader).readText === 'function';
}
