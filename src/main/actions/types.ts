import type { ActionName, ActionParams, ActionPlatform } from '../../shared/actions/catalog';
import type { Result } from '../../shared/result';
import type { ProcessOutput, ProcessRunOptions } from './process-runner';

/** A structured field of an action's result: JSON-like values only. */
export type ActionFields = Record<string, unknown>;

/** What one OS implementation of an action answers. */
export type ImplOutcome =
  | { ok: true; exitCode: number | null; fields: ActionFields }
  | { ok: false; exitCode: number | null; fields: ActionFields; error: { code: string; message: string } };

/** What an implementation may touch while it runs; every part can be replaced in tests. */
export interface ActionContext {
  platform: ActionPlatform;
  /** Aborted when the action's timeout runs out or the caller cancels; pass it on to every program and socket. */
  signal: AbortSignal;
  /**
   * Runs a program with an argument array (never a shell). Its stdout and stderr stream into the action's
   * output unless `stream: false` (logs pass their lines through the redaction first, then `write`).
   */
  exec(
    command: string,
    args: readonly string[],
    options?: Omit<ProcessRunOptions, 'signal'>,
  ): Promise<Result<ProcessOutput>>;
  /** Adds text to the action's output (capped and streamed like a program's). */
  write(text: string): void;
  ports: ActionPorts;
}

/** Ports the agent wires in: IT's allow-lists, the snapshot collector, the temp folders, the privacy settings. */
export interface ActionPorts {
  /** IT's service allow-list: id → the service's real name on this OS. */
  serviceAllowList?: (id: string) => string | null;
  /** IT's package allow-list: id → the package's id in this OS's package manager. */
  packageAllowList?: (id: string) => { manager: PackageManager; id: string } | null;
  /** Collects a snapshot (all sections when `sections` is undefined) and sends it; answers what was collected. */
  collect?: (sections: readonly string[] | undefined, signal: AbortSignal) => Promise<Result<{ sections: string[] }>>;
  /** Folders whose old files disk.clear-temp may delete (default: os.tmpdir() and the user cache's tmp). */
  tempDirs?: () => readonly string[];
  /** Where IT scripts get their private temporary folder (default: os.tmpdir()). */
  scriptTempRoot?: () => string;
  /** Redacts free text the way the snapshot's privacy pass does (home paths, user name). */
  redact?: (text: string) => string;
  /** The help-desk server's speed-test endpoints, for net.speed-test. */
  speedTest?: SpeedTestPort;
  /** A DNS resolver's servers (tests point it at a local server); default: the system's. */
  dnsServers?: readonly string[];
  /** Now, for log windows and file ages. */
  now?: () => Date;
  /** Lists running processes by pid (for process.top on every OS and process.end's name check). */
  processes?: ProcessTable;
  /** Sends a signal to a pid (process.kill). */
  kill?: (pid: number) => void;
}

/** The package managers package.install drives (`brew-cask`: `brew install --cask`). */
export type PackageManager = 'winget' | 'brew' | 'brew-cask' | 'apt' | 'dnf';

/** Transfers a payload to and from the help-desk server; each call answers the bytes moved. */
export interface SpeedTestPort {
  download(bytes: number, signal: AbortSignal): Promise<Result<{ bytes: number; ms: number }>>;
  upload(bytes: number, signal: AbortSignal): Promise<Result<{ bytes: number; ms: number }>>;
}

/** One running process. */
export interface ProcessRow {
  pid: number;
  name: string;
  cpuPercent: number;
  memoryBytes: number;
}

/** The process list port: a one-off sample. */
export interface ProcessTable {
  list(signal: AbortSignal): Promise<ProcessRow[]>;
  /** A single pid's name, or null when no such process exists. */
  nameOf(pid: number): Promise<string | null>;
}

/** One OS's implementation of an action. */
export type ActionImpl<N extends ActionName> = (params: ActionParams<N>, ctx: ActionContext) => Promise<ImplOutcome>;

/** An action's implementations, per OS; an OS without one answers `unsupported`. */
export type ActionImpls<N extends ActionName> = Partial<Record<ActionPlatform, ActionImpl<N>>>;

/** Every action's implementations. */
export type ActionRegistry = { [N in ActionName]: ActionImpls<N> };

/** A success outcome. */
export function done(fields: ActionFields, exitCode: number | null = null): ImplOutcome {
  return { ok: true, exitCode, fields };
}

/** A failure outcome. */
export function failed(
  code: string,
  message: string,
  fields: ActionFields = {},
  exitCode: number | null = null,
): ImplOutcome {
  return { ok: false, exitCode, fields, error: { code, message } };
}
