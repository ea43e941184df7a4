import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CreateTicketRequest } from '../../shared/api/tickets';
import type { AgentLogger, ManagedConfig } from './agent-platform';
import { createHelpdeskApi, type HelpdeskApi } from './api-client';
import { createEnrollment, type Enrollment } from './enrollment.service';
import { createGuidance, type Guidance } from './guidance.service';
import { loadManagedConfig } from './managed-config';
import { createOutbox, type Outbox } from './outbox';
import { createSettingsService, type SettingsService } from './settings.service';
import { createJsonSettingsStore } from './settings-store';

/*
 * The agent without a window: the services the `deskside enroll | ticket | tickets | outbox`
 * commands use, over the same data folder, outbox and credentials as the tray app — so a ticket
 * filed from the command line is retried by the app, and the other way round.
 */

/** The agent's data folder on this OS; DESKSIDE_AGENT_DATA_DIR overrides it. */
export function defaultAgentDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (env.DESKSIDE_AGENT_DATA_DIR) return env.DESKSIDE_AGENT_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Deskside Agent');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Deskside Agent');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'deskside-agent');
}

/** A logger that drops everything (the CLI reports outcomes itself). */
export const silentLogger: AgentLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface HeadlessAgent {
  dataDir: string;
  managed: ManagedConfig;
  managedErrors: string[];
  settings: SettingsService;
  api: HelpdeskApi;
  enrollment: Enrollment;
  outbox: Outbox;
  guidance: Guidance;
  /** Writes the ticket to the outbox, then tries to send it once. */
  submit(request: CreateTicketRequest): Promise<{ outboxId: string; outcome: Awaited<ReturnType<Outbox['sendNow']>> }>;
  close(): void;
}

/** Opens the agent's data folder for headless use; reads IT's managed config like the app does. */
export async function openHeadlessAgent(options: {
  dataDir: string;
  version: string;
  env?: NodeJS.ProcessEnv;
  logger?: AgentLogger;
}): Promise<HeadlessAgent> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const managedLoad = loadManagedConfig({ platform: process.platform, argv: [], env });
  const managed = managedLoad.config;
  const settings = createSettingsService(createJsonSettingsStore(join(options.dataDir, 'settings.json')), managed);
  const serverUrl = () => settings.effective().serverUrl;
  const stopper = new AbortController();
  let enrollment: Enrollment | null = null;
  const api = createHelpdeskApi({
    baseUrl: serverUrl,
    token: () => enrollment?.token() ?? null,
    userAgent: `deskside-cli/${options.version}`,
    signal: stopper.signal,
  });
  enrollment = createEnrollment({
    dataDir: options.dataDir,
    api,
    serverUrl,
    enrollSecret: () => managed.enrollSecret,
    groups: () => managed.groups ?? [],
    agentVersion: options.version,
    logger,
  });
  const enrolled = enrollment;
  await enrolled.load();
  const outbox = createOutbox({
    dir: join(options.dataDir, 'outbox'),
    send: async (request, key) => ({ ticketId: (await api.createTicket(request, key)).id }),
    logger,
    onUnauthorized: () => void enrolled.tokenRejected(),
  });
  const guidance = createGuidance({
    dataDir: options.dataDir,
    api,
    logger,
    enrolled: () => enrolled.credentials() !== null,
    notificationsEnabled: () => false,
    onTicketsChanged: () => {},
    onUnreadChanged: () => {},
    onReachability: () => {},
    onUnauthorized: () => enrolled.tokenRejected(),
  });
  await guidance.load();
  return {
    dataDir: options.dataDir,
    managed,
    managedErrors: managedLoad.errors,
    settings,
    api,
    enrollment: enrolled,
    outbox,
    guidance,
    async submit(request) {
      const item = await outbox.add(request);
      await enrolled.ensure();
      return { outboxId: item.outboxId, outcome: await outbox.sendNow(item.outboxId) };
    },
    close: () => stopper.abort(),
  };
}
