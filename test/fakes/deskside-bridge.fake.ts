import { dispatchIpc, IpcError } from '../../src/shared/ipc/dispatch';
import {
  ipcChannels,
  type AgentState,
  type AppInfo,
  type DesksideBridge,
  type IpcChannel,
  type IpcEvent,
  type IpcEventPayload,
  type IpcHandlers,
  type SettingsView,
  type TicketListItem,
} from '../../src/shared/ipc/contract';
import type { AgentAnnouncementDto, AgentArticleDto } from '../../src/shared/api/articles';
import type { MessageDto } from '../../src/shared/api/tickets';

/*
 * A fake `window.deskside` for component tests of the employee window. Calls go through the real
 * dispatchIpc (so arguments are validated against the contract exactly as main does) into handlers
 * the test supplies; every result is checked against the contract's result schema, so a fixture that
 * drifts from the contract fails the test instead of passing quietly. A channel the test did not fake
 * answers with the error `not_faked`. Failures are thrown as IpcError, as real handlers do.
 */

export { IpcError };

/** One invoke the window made, with the argument exactly as it sent it. */
export interface BridgeCall {
  channel: IpcChannel;
  arg: unknown;
}

export interface FakeBridge {
  bridge: DesksideBridge;
  calls: BridgeCall[];
  /** Arguments of every call to `channel`, in order. */
  argsOf(channel: IpcChannel): unknown[];
  /** Handler errors that were not IpcError (including results that break the contract). */
  unexpected: unknown[];
  /** Pushes an event to the window's listeners, as main does. */
  emit<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void;
  /** Replaces (or adds) handlers for the rest of the test. */
  set(handlers: Partial<IpcHandlers>): void;
}

/** Builds the fake over `handlers`; channels without one answer `not_faked`. */
export function createFakeBridge(handlers: Partial<IpcHandlers> = {}): FakeBridge {
  const table: Partial<IpcHandlers> = { ...handlers };
  const calls: BridgeCall[] = [];
  const unexpected: unknown[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const checked = new Proxy({} as IpcHandlers, {
    get: (_target, channel: IpcChannel) => async (arg: unknown) => {
      const handler = table[channel] as ((arg: unknown) => Promise<unknown>) | undefined;
      if (!handler) throw new IpcError('not_faked', `${channel} is not faked in this test`);
      return ipcChannels[channel].result.parse(await handler(arg));
    },
  });
  const bridge: DesksideBridge = {
    invoke: (channel, arg) => {
      calls.push({ channel, arg });
      return dispatchIpc(checked, channel, arg, (error) => void unexpected.push(error)) as never;
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
  };
  return {
    bridge,
    calls,
    unexpected,
    argsOf: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.arg),
    emit: (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload)),
    set: (more) => Object.assign(table, more),
  };
}

const NOW = '2026-03-12T09:30:00.000Z';

/** The agent state of an enrolled, online laptop with no check run yet. */
export function agentState(patch: Partial<AgentState> = {}): AgentState {
  return {
    computerName: 'lt-jdoe-0042',
    enrollment: { state: 'enrolled', serverUrl: 'https://helpdesk.acme.example', deviceId: 'dev-0042', error: null },
    online: true,
    health: null,
    unread: 0,
    outbox: { pending: 0, failed: 0 },
    ...patch,
  };
}

export function appInfo(patch: Partial<AppInfo> = {}): AppInfo {
  return {
    name: 'Deskside',
    version: '0.1.0',
    platform: 'linux',
    branding: { name: 'Acme IT Help', supportEmail: 'helpdesk@acme.example', supportPhone: null, supportUrl: null },
    links: [],
    dataDir: '/home/jdoe/.config/Deskside',
    logFile: '/home/jdoe/.config/Deskside/logs/agent.log',
    managedConfigPath: '/etc/deskside/config.json',
    ...patch,
  };
}

export function settingsView(managed: string[] = [], patch: Partial<SettingsView['effective']> = {}): SettingsView {
  return {
    effective: {
      serverUrl: 'https://helpdesk.acme.example',
      startAtLogin: true,
      notifications: true,
      privacy: { redact: false, excludedSections: [], allowScreenshots: false },
      ...patch,
    },
    managed,
  };
}

export function ticket(id: number, patch: Partial<TicketListItem> = {}): TicketListItem {
  return {
    id,
    subject: `Ticket ${id}`,
    description: 'Since this morning, after the update.',
    category: 'printing',
    urgency: 'medium',
    priority: 'p3',
    status: 'open',
    createdAt: NOW,
    updatedAt: NOW,
    resolvedAt: null,
    lastMessageAt: NOW,
    satisfaction: null,
    assigneeName: null,
    lastStaffMessageId: null,
    unread: 0,
    ...patch,
  };
}

export function message(id: number, ticketId: number, patch: Partial<MessageDto> = {}): MessageDto {
  return {
    id,
    ticketId,
    author: { type: 'staff', name: 'Sam Tech' },
    body: 'Please restart the print spooler.',
    internal: false,
    createdAt: NOW,
    attachments: [],
    ...patch,
  };
}

export function article(id: number, patch: Partial<AgentArticleDto> = {}): AgentArticleDto {
  return {
    id,
    title: `Article ${id}`,
    body: 'Open **Settings → Printers**, remove `Floor2-HP` and add it again.',
    tags: ['printing'],
    findingCodes: [],
    updatedAt: NOW,
    publishedAt: NOW,
    ...patch,
  };
}

export function announcement(id: number, patch: Partial<AgentAnnouncementDto> = {}): AgentAnnouncementDto {
  return {
    id,
    title: `Announcement ${id}`,
    body: 'Messages are delayed, not lost.',
    severity: 'info',
    startsAt: '2020-01-01T00:00:00.000Z',
    expiresAt: null,
    updatedAt: NOW,
    ...patch,
  };
}

/** Handlers every screen's frame needs (state, app info), to spread under a test's own. */
export function baseHandlers(state: AgentState = agentState()): Partial<IpcHandlers> {
  return {
    'agent:state': async () => state,
    'app:info': async () => appInfo(),
    'commands:pending': async () => ({ prompts: [] }),
    'remote:current': async () => ({ session: null }),
  };
}
