import type { Sections, SectionName } from '../../shared/snapshot';
import type { ProcReading } from './probes/proc-reading';
import type { CommandRunner } from './command-runner';
import type { FileReader } from './file-reader';
import type { PowerShell } from './powershell';
import type { SystemInfo } from './system-info';

/** Operating systems the agent distinguishes. */
export type Platform = 'linux' | 'darwin' | 'win32' | 'other';

/** Settings that change what probes check, not how. */
export interface ProbeSettings {
  /** Help-desk server base URL, checked for reachability with latency. */
  serverUrl: string | null;
  /** Extra URLs IT wants checked (intranet, mail, VPN portal). */
  checkUrls: readonly string[];
  /** Host names resolved for the DNS check; empty means "derive from the URLs". */
  dnsHosts: readonly string[];
  /** Timeout for one connectivity check. */
  connectivityTimeoutMs: number;
  /** Window for CPU and process sampling. */
  cpuSampleMs: number;
  /** Linux: a first /proc reading taken earlier in this process (the CLI takes it at start), or null. */
  procBaseline: ProcReading | null;
  /** Address pinged as the gateway instead of the default route's (tests pin it to loopback); null: the route's. */
  gatewayTarget: string | null;
}

/** Everything a probe may touch; all of it can be replaced in tests. */
export interface ProbeContext {
  platform: Platform;
  /** Aborted when the probe's budget runs out; pass it to commands and fetches. */
  signal: AbortSignal;
  run: CommandRunner;
  /** Windows only: the shared PowerShell session. */
  powershell: PowerShell;
  files: FileReader;
  si: SystemInfo;
  settings: ProbeSettings;
  now: () => Date;
  /**
   * Work shared by the probes of one collection: the first caller of a key runs `make`, later
   * callers get the same promise (e.g. one /proc sampling window for the CPU and process probes).
   */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** A fresh per-collection memo for ProbeContext.shared. */
export function createShared(): ProbeContext['shared'] {
  const memo = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let found = memo.get(key) as Promise<T> | undefined;
    if (!found) {
      found = make();
      memo.set(key, found);
    }
    return found;
  };
}

/** One diagnostics area: collects exactly one snapshot section. */
export interface Probe<K extends SectionName = SectionName> {
  section: K;
  /** Wall-time budget; past it the section is recorded as a timeout. */
  budgetMs: number;
  /** Platforms it can run on; elsewhere it is recorded as unsupported. */
  platforms?: readonly Platform[];
  collect(ctx: ProbeContext): Promise<Sections[K]>;
}

/** Typed helper so each probe file declares its section once. */
export function defineProbe<K extends SectionName>(probe: Probe<K>): Probe<K> {
  return probe;
}

/** Error a probe throws when the area does not exist on this machine or OS. */
export class UnsupportedError extends Error {
  override readonly name = 'UnsupportedError';
}
