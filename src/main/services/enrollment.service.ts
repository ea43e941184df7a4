import { createHash, randomBytes } from 'node:crypto';
import { hostname, release, type as osType } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { AgentState } from '../../shared/ipc/contract';
import type { AgentLogger } from './agent-platform';
import { ApiCallError, type HelpdeskApi } from './api-client';
import { readJsonFile, writeFileAtomic } from './atomic-file';
import { createCommandKeyPin } from './command-key-pin';

/*
 * Device enrollment: with a server URL and an enrollment secret (from IT's config or the CLI) the
 * agent enrolls silently and keeps the device token in <dataDir>/device.json (mode 0600, written
 * atomically). Credentials belong to one server: changing the URL means enrolling again. When the
 * server rejects the token (401) and a secret is available, the agent re-enrolls (at most once a minute).
 * The first enrollment with a server pins its command-signing key (command-key-pin.ts); a re-enrollment
 * that answers another key keeps the pinned one, and the enrolled state says so.
 */

const credentialsSchema = z.object({
  serverUrl: z.string(),
  deviceId: z.string().min(1),
  deviceToken: z.string().min(1),
  enrolledAt: z.string(),
});
/** What device.json holds. */
export type Credentials = z.infer<typeof credentialsSchema>;

export type EnrollmentState = AgentState['enrollment'];

export interface EnrollmentDeps {
  dataDir: string;
  api: Pick<HelpdeskApi, 'enroll'>;
  serverUrl: () => string | null;
  enrollSecret: () => string | undefined;
  groups: () => string[];
  agentVersion: string;
  logger: AgentLogger;
  now?: () => number;
  /** A stable id of this computer; defaults to the OS machine id, hashed. */
  machineId?: () => Promise<string>;
  onChange?(state: EnrollmentState): void;
}

export interface Enrollment {
  /** Reads device.json; call once before anything else. */
  load(): Promise<void>;
  /** Credentials valid for the configured server, or null. */
  credentials(): Credentials | null;
  token(): string | null;
  state(): EnrollmentState;
  /** Enrolls if needed and possible; never throws (the state says what happened). */
  ensure(): Promise<EnrollmentState>;
  /** Enrolls now with this server and secret (the CLI); throws ApiCallError on failure. */
  enroll(serverUrl: string, secret: string): Promise<Credentials>;
  /** The server said 401: re-enroll when a secret is known. */
  tokenRejected(): Promise<void>;
  /**
   * The configured server's command-signing key (PEM, SPKI) as pinned at enrollment, or null (not
   * enrolled with it yet, or enrolled before servers answered one): commands are verified with it.
   */
  commandKey(): string | null;
}

const REENROLL_INTERVAL_MS = 60_000;

function normalizeUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The OS machine id hashed (node-machine-id), or a random id kept in the data folder where there is none. */
async function defaultMachineId(dataDir: string): Promise<string> {
  try {
    // Loaded only when enrolling: once enrolled, the agent never needs it (nor its memory).
    const { default: machineIdModule } = await import('node-machine-id');
    const id = await machineIdModule.machineId(false);
    if (id && id.length >= 8) return id;
  } catch {
    // Containers and some VMs have no machine id: fall through to our own.
  }
  const file = join(dataDir, 'machine-id.json');
  const stored = z.object({ id: z.string().min(8) }).safeParse(await readJsonFile(file).catch(() => undefined));
  if (stored.success) return stored.data.id;
  const id = createHash('sha256').update(randomBytes(32)).digest('hex');
  await writeFileAtomic(file, JSON.stringify({ id }), { mode: 0o600 });
  return id;
}

function osPlatform(): 'linux' | 'darwin' | 'win32' | 'other' {
  const p = process.platform;
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other';
}

/** Builds the enrollment service. */
export function createEnrollment(deps: EnrollmentDeps): Enrollment {
  const file = join(deps.dataDir, 'device.json');
  const now = deps.now ?? Date.now;
  let stored: Credentials | null = null;
  let busy: Promise<EnrollmentState> | null = null;
  let lastError: string | null = null;
  let enrolling = false;
  let lastReenroll = 0;
  const pin = createCommandKeyPin({ dataDir: deps.dataDir, logger: deps.logger, now, normalizeUrl });

  const current = (): Credentials | null => {
    const url = deps.serverUrl();
    return stored && url && normalizeUrl(stored.serverUrl) === normalizeUrl(url) ? stored : null;
  };

  const state = (): EnrollmentState => {
    const url = deps.serverUrl();
    const creds = current();
    if (creds)
      return { state: 'enrolled', serverUrl: creds.serverUrl, deviceId: creds.deviceId, error: pin.problem(url) };
    if (enrolling) return { state: 'enrolling', serverUrl: url, deviceId: null, error: null };
    if (lastError) return { state: 'failed', serverUrl: url, deviceId: null, error: lastError };
    if (!url) return { state: 'not-configured', serverUrl: null, deviceId: null, error: null };
    if (!deps.enrollSecret())
      return {
        state: 'not-configured',
        serverUrl: url,
        deviceId: null,
        error: 'No enrollment secret: ask IT, or run "deskside enroll".',
      };
    return { state: 'not-configured', serverUrl: url, deviceId: null, error: null };
  };

  async function enroll(serverUrl: string, secret: string): Promise<Credentials> {
    enrolling = true;
    deps.onChange?.(state());
    try {
      const machineId = await (deps.machineId ?? (() => defaultMachineId(deps.dataDir)))();
      const answer = await deps.api.enroll({
        enrollSecret: secret,
        machineId,
        hostname: hostname().slice(0, 255) || 'unknown',
        os: { platform: osPlatform(), name: osType().slice(0, 200), version: release().slice(0, 100) },
        agentVersion: deps.agentVersion,
        groups: deps.groups(),
      });
      const creds: Credentials = {
        serverUrl: normalizeUrl(serverUrl),
        deviceId: answer.deviceId,
        deviceToken: answer.deviceToken,
        enrolledAt: new Date(now()).toISOString(),
      };
      await writeFileAtomic(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
      await pin.offer(creds.serverUrl, answer.commandKey);
      stored = creds;
      lastError = null;
      deps.logger.info('enrolled with the help desk', { serverUrl: creds.serverUrl, deviceId: creds.deviceId });
      return creds;
    } catch (error) {
      lastError =
        error instanceof ApiCallError
          ? error.kind === 'transient'
            ? `The help desk cannot be reached yet (${error.message}); trying again later.`
            : error.message
          : `Enrollment failed: ${(error as Error).message}`;
      throw error;
    } finally {
      enrolling = false;
      deps.onChange?.(state());
    }
  }

  async function ensure(): Promise<EnrollmentState> {
    if (current()) return state();
    const url = deps.serverUrl();
    const secret = deps.enrollSecret();
    if (!url || !secret) return state();
    busy ??= enroll(url, secret)
      .then(state, (error: unknown) => {
        deps.logger.warn('enrollment failed', { error: String(error) });
        return state();
      })
      .finally(() => (busy = null));
    return busy;
  }

  return {
    async load() {
      await pin.load();
      try {
        const parsed = credentialsSchema.safeParse(await readJsonFile(file));
        stored = parsed.success ? parsed.data : null;
      } catch (error) {
        deps.logger.warn('device.json is unreadable; enrolling again', { error: String(error) });
        stored = null;
      }
    },
    credentials: current,
    token: () => current()?.deviceToken ?? null,
    state,
    ensure,
    enroll,
    async tokenRejected() {
      const secret = deps.enrollSecret();
      if (!secret) {
        lastError = 'The help desk no longer accepts this computer; ask IT to enroll it again.';
        stored = null;
        deps.onChange?.(state());
        return;
      }
      if (now() - lastReenroll < REENROLL_INTERVAL_MS) return;
      lastReenroll = now();
      stored = null;
      await ensure();
    },
    commandKey: () => pin.key(deps.serverUrl()),
  };
}
