import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';
import type {
  IpcEvent,
  IpcEventPayload,
  IpcHandlers,
  AgentState,
  Branding,
  ShareSource,
} from '../../shared/ipc/contract';

/*
 * The seam between the agent's logic (plain Node, tested without Electron) and its hosts: the
 * Electron app (src/main/electron), the headless `deskside` CLI, and the browser-test transport.
 * A host supplies an AgentPlatform; createAgentCore (agent-core.ts) returns an AgentCore.
 */

/** Persistent key/value settings: electron-store in the app, a JSON file elsewhere. */
export interface SettingsStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** IT's configuration (system-wide file + command-line flags); every field optional. */
export interface ManagedConfig {
  serverUrl?: string;
  enrollSecret?: string;
  groups?: string[];
  branding?: Partial<Branding> & { iconPath?: string };
  links?: { label: string; url: string }[];
  privacy?: { redact?: boolean; excludedSections?: string[]; allowScreenshots?: boolean };
  startAtLogin?: boolean;
  /** Hours between periodic inventory snapshots (default 4; 0 turns them off). */
  inventoryIntervalHours?: number;
  /** Remote commands per risk level (command-runner.service.ts); missing keys default to 'ask'. */
  commandPolicy?: { reads?: 'unattended' | 'ask' | 'refuse'; changes?: 'ask' | 'refuse' };
  /** Remote control (issue 13): consent policy and the VNC server to tunnel to (managed-config.ts). */
  remoteControl?: {
    consent?: 'ask' | 'refuse' | 'unattended';
    /** Control asks the employee a second, separate question (and never runs unattended). */
    controlNeedsSecondConsent?: boolean;
    vnc?:
      | { server: 'x11vnc'; display?: string; x11vncPath?: string }
      | { server: 'existing'; host: '127.0.0.1' | '::1' | 'localhost'; port: number; password?: string };
  };
  /** Where this config came from, for Settings/About and logs. */
  sources: string[];
}

export interface AgentNotification {
  title: string;
  body: string;
  /** Where a click on the notification takes the employee. */
  ticketId?: number;
}

export interface AgentLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface AgentPlatform {
  appName: string;
  version: string;
  /** Outbox, caches (articles, announcements, tickets), device credentials, logs. */
  dataDir: string;
  logFile: string;
  /** The path managed config is read from on this OS (shown in Settings/About). */
  managedConfigPath: string;
  managed: ManagedConfig;
  settings: SettingsStore;
  logger: AgentLogger;
  /** Desktop notification; absent in the CLI. */
  notify?(notification: AgentNotification): void;
  /** PNG of the primary screen; absent where not possible (CLI, tests without a display). */
  captureScreen?(): Promise<{ png: Uint8Array; width: number; height: number }>;
  /** Opens an already allow-listed URL in the default browser. */
  openExternal(url: string): Promise<void>;
  setStartAtLogin?(enabled: boolean): void;
  /**
   * Screen share (issue 13), where the host can: the screens and windows the employee may choose from, the
   * one chosen (the window's getDisplayMedia then captures exactly it; null: the share ended, the overlay
   * closes), and the overlay over the shared screen that draws the technician's pointer and annotations (one
   * validated message at a time). Absent: the window's own picker, no overlay.
   */
  screenShare?: {
    sources(): Promise<ShareSource[]>;
    choose(sourceId: string | null): void;
    overlay(message: ShareOverlayMessage): void;
  };
  /** Overrides for tests: clock, snapshot collection, long-poll wait. */
  now?: () => number;
}

export type AgentEventListener = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;

export interface AgentCore {
  /** One handler per IPC channel; hosts route invokes through dispatchIpc(core.handlers, …). */
  handlers: IpcHandlers;
  /** Events for the window (state, tickets:changed, content:changed, navigate). */
  onEvent(listener: AgentEventListener): () => void;
  /** Current state for the tray (tooltip, icon, unread count). */
  state(): AgentState;
  /** Silent enrollment if needed, outbox sender, live guidance, article/announcement sync, heartbeat. */
  start(): Promise<void>;
  /** Stops timers and in-flight requests; safe to call twice. */
  stop(): Promise<void>;
}
