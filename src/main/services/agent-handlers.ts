import { isAllowedExternalUrl } from '../../shared/external-url';
import { IpcError } from '../../shared/ipc/ipc-error';
import type { AppInfo, IpcHandlers } from '../../shared/ipc/contract';
import type { AgentServices } from './agent-core';
import { checkSnapshot, healthSummary } from './health.service';

/*
 * Every IPC channel of the contract, implemented over the composed services. Arguments arrive
 * already validated by dispatchIpc; expected failures are IpcError values with a stable code.
 */

function osName(): AppInfo['platform'] {
  const p = process.platform;
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other';
}

/** Builds the handler table. */
export function createAgentHandlers(s: AgentServices, extra: { heartbeat(): Promise<void> }): IpcHandlers {
  const { platform } = s;
  const branding = platform.managed.branding ?? {};
  return {
    'app:info': async () => ({
      name: branding.name ?? platform.appName,
      version: platform.version,
      platform: osName(),
      branding: {
        name: branding.name ?? platform.appName,
        supportEmail: branding.supportEmail ?? null,
        supportPhone: branding.supportPhone ?? null,
        supportUrl: branding.supportUrl ?? null,
      },
      links: (platform.managed.links ?? []).filter((l) => isAllowedExternalUrl(l.url)),
      dataDir: platform.dataDir,
      logFile: platform.logFile,
      managedConfigPath: platform.managedConfigPath,
    }),
    'agent:state': async () => s.state(),
    'health:check': async () => {
      const snapshot = await s.snapshots.collectForCheck();
      const result = checkSnapshot(snapshot, s.content.articles().articles, new Date(s.now()).toISOString());
      s.setHealth(healthSummary(result));
      void extra.heartbeat();
      return result;
    },
    'snapshot:prepare': async ({ fresh }) => s.snapshots.prepare(fresh),
    'snapshot:preview': async () => s.snapshots.preview(),
    'screenshot:capture': async () => s.screenshots.capture(),
    'screenshot:discard': async ({ screenshotId }) => (s.screenshots.discard(screenshotId), {}),
    'ticket:submit': async (form) => s.outbox.add(await s.buildTicket(form)),
    'tickets:list': async () => {
      const [tickets, outbox] = await Promise.all([s.guidance.list(), s.outbox.list()]);
      return { tickets: tickets.tickets, outbox, fromCache: tickets.fromCache };
    },
    'tickets:get': async ({ ticketId }) => {
      const thread = await s.guidance.thread(ticketId);
      s.publishState();
      return thread;
    },
    'tickets:reply': async ({ ticketId, body }) => s.guidance.reply(ticketId, body),
    'tickets:solve': async ({ ticketId }) => s.guidance.solve(ticketId),
    'tickets:reopen': async ({ ticketId, body }) => s.guidance.reopen(ticketId, body),
    'tickets:rate': async ({ ticketId, satisfaction, comment }) => s.guidance.rate(ticketId, satisfaction, comment),
    'ticket:presence': async ({ ticketId }) => s.live?.presence(ticketId) ?? { ticketId, staff: null, typing: false },
    'ticket:typing': async ({ ticketId }) => (s.live?.typing(ticketId), {}),
    'outbox:retry': async ({ outboxId }) => s.outbox.retry(outboxId),
    'outbox:discard': async ({ outboxId }) => (await s.outbox.discard(outboxId), {}),
    'articles:list': async () => s.content.articles(),
    'articles:search': async ({ query, limit }) => ({ hits: await s.content.search(query, limit) }),
    'articles:get': async ({ articleId }) => s.content.getArticle(articleId),
    'articles:helped': async ({ articleId }) => (await s.content.helped(articleId), {}),
    'announcements:list': async () => ({ announcements: s.content.announcements() }),
    'settings:get': async () => s.settings.view(),
    'settings:set': async (change) => s.settings.set(change),
    'commands:pending': async () => ({ prompts: s.commands.prompts() }),
    'commands:answer': async ({ commandId, allow }) => {
      if (!s.commands.answer(commandId, allow))
        throw new IpcError('not-found', 'That request is no longer waiting for an answer.');
      return {};
    },
    'fixit:run': async ({ action, source }) => s.selfService.run({ action, source }),
    'remote:current': async () => ({ session: s.remote.current() }),
    'remote:answer': async ({ sessionId, allow, stage }) => {
      if (!s.remote.answer(sessionId, allow, stage))
        throw new IpcError('not-found', 'That request is no longer waiting for this answer.');
      return {};
    },
    'remote:stop': async ({ sessionId }) => {
      if (!s.remote.stop(sessionId)) throw new IpcError('not-found', 'That remote session is not running any more.');
      return {};
    },
    'share:current': async () => ({ session: s.share.current() }),
    'share:sources': async () => ({ sources: (await s.platform.screenShare?.sources()) ?? [] }),
    'share:answer': async ({ sessionId, allow, sourceId }) => {
      if (!s.share.answer(sessionId, allow, sourceId))
        throw new IpcError('not-found', 'That request is no longer waiting for an answer.');
      return {};
    },
    'share:signal': async ({ sessionId, signal }) => {
      if (!s.share.signal(sessionId, signal))
        throw new IpcError('not-sent', 'The screen share is not in progress, or the help desk is not reachable.');
      return {};
    },
    'share:stop': async ({ sessionId, reason }) => {
      if (!s.share.stop(sessionId, reason)) throw new IpcError('not-found', 'No screen share with that id.');
      return {};
    },
    'share:overlay': async ({ sessionId, data }) => ({ drawn: s.share.overlay(sessionId, data) }),
    'external:open': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) throw new IpcError('refused', 'Only https: and mailto: links can be opened.');
      await platform.openExternal(url);
      return {};
    },
  };
}
