import { homedir, hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { CreateTicketRequest } from '../../shared/api/tickets';
import { err, ok } from '../../shared/result';
import type { SectionName } from '../../shared/snapshot';
import type { ActionPorts } from '../actions/types';
import type { AgentState, IpcEvent, IpcEventPayload, UserSettings } from '../../shared/ipc/contract';
import type { AgentCore, AgentEventListener, AgentPlatform } from './agent-platform';
import { createHelpdeskApi, type HelpdeskApi } from './api-client';
import type { BackoffPolicy } from './backoff';
import type { ChannelTiming } from './channel-client';
import type { ActionRunnerPort, CommandRunner } from './command-runner.service';
import { createNonceStore } from './command-nonce-store';
import { createLocalActionLog } from './local-action-log';
import { createContentSync } from './content-sync.service';
import { createEnrollment } from './enrollment.service';
import { createGuidance } from './guidance.service';
import { createLiveChannel } from './live-channel.service';
import { createAgentHandlers } from './agent-handlers';
import { createOutbox } from './outbox';
import type { RemoteControlPolicy, RemoteSessions } from './remote-session.service';
import { createScreenshotService } from './screenshot.service';
import {
  claimedKind,
  onDemandCommandRunner,
  onDemandRemoteSessions,
  onDemandSelfService,
  onDemandShareSessions,
  onDemandSpeedTest,
} from './on-demand-services';
import { createSettingsService } from './settings.service';
import { createInventory, INVENTORY_INTERVAL_MS } from './inventory.service';
import { createSnapshotService, type SnapshotCollector } from './snapshot.service';
import { createProcessCollector, type SpawnSnapshotProcess } from './snapshot-process';
import { createProcessRunner, type ProcessRunner } from '../actions/process-runner';
import { createLinkReader, realLinkPorts, type LinkReader } from '../netmon/link.probe';
import type { NetmonPlatform } from '../netmon/icmp.probe';
import { realEnvironment, type NetmonEnvironment } from '../netmon/netmon-environment';
import { createNetmon, type Netmon, type NetmonDeps } from '../netmon/netmon.service';

/*
 * The agent's composition root in plain Node: builds every service over one AgentPlatform and
 * exposes them as the IPC handlers, events and tray state. The Electron app, the headless CLI and the
 * browser-test transport all run this same core.
 */

/** Test and host overrides. */
export interface AgentCoreDeps {
  /** Snapshot collection; defaults to the real diagnostics engine (loaded on first use). */
  collector?: SnapshotCollector;
  /**
   * Collect each snapshot in a short-lived process started by this (snapshot-process.ts), so the
   * agent's memory returns after it; without it, the diagnostics engine loads into this process.
   */
  snapshotProcess?: SpawnSnapshotProcess;
  /** The API client; defaults to axios against the configured server. */
  api?: HelpdeskApi;
  /** A stable id of this computer (tests running several agents on one machine). */
  machineId?: () => Promise<string>;
  /** Seconds per long poll (default 25). */
  longPollSeconds?: number;
  outboxBackoff?: BackoffPolicy;
  /** Content sync period (default 60 s) and heartbeat period (default 5 min). */
  syncIntervalMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * The live channel: on by default; false leaves the long poll and the periodic sync alone. `graceMs`
   * is how long a reconnecting channel holds the long poll back (default 15 s).
   */
  channel?: false | { timing?: Partial<ChannelTiming>; graceMs?: number };
  /** Periodic inventory interval (default: IT's managed `inventoryIntervalHours`, else 4 h); 0 turns it off. */
  inventoryIntervalMs?: number;
  /**
   * A window can show remote commands' and remote sessions' consent prompts (the tray app, the browser-test
   * transport). Without one (the headless daemon, the default) IT's policy `ask` refuses: there is no one to ask.
   */
  consentPrompt?: boolean;
  /** Runs remote commands' actions; defaults to runAction with this machine's ports (loaded on first use). */
  actionRunner?: ActionRunnerPort;
  /** Output of a running command is sent at most this often (default 250 ms). */
  commandOutputIntervalMs?: number;
  /** The environment remote sessions see (DISPLAY for x11vnc); default process.env. */
  remoteEnv?: NodeJS.ProcessEnv;
  /**
   * Network monitoring (src/main/netmon): on with the live channel. Tests replace the gateway and the
   * resolvers (`environment`) with loopback ones, and the link reader; false turns it off.
   */
  netmon?:
    | false
    | {
        environment?: NetmonEnvironment;
        link?: LinkReader | null;
        runner?: ProcessRunner;
        queue?: NetmonDeps['queue'];
      };
}

/** What the handlers need from the composed services (agent-handlers.ts). */
export type AgentServices = ReturnType<typeof composeServices>;

function lazyDiagnostics(platform: AgentPlatform): SnapshotCollector & { dispose(): void } {
  let real: Promise<{ collect: SnapshotCollector['collect']; dispose(): void }> | null = null;
  let disposed = false;
  const load = () =>
    // A real dynamic import (the Node bundles are split), so systeminformation and the probes load
    // on the first snapshot, not at start: a tray agent may run for days without taking one.
    (real ??= import('../diagnostics')
      .then(({ createDiagnostics }) => createDiagnostics({ name: platform.appName, version: platform.version }))
      .then((d) => {
        if (disposed) d.dispose();
        return d;
      }));
  return {
    collect: async (options) => (await load()).collect(options),
    dispose: () => {
      disposed = true;
      void real?.then((d) => d.dispose());
    },
  };
}

/**
 * runAction with this machine's ports; the action implementations (and the process table) load on the
 * first remote command, not at start.
 */
function localActionRunner(
  redact: () => boolean,
  collect: ActionPorts['collect'],
  speedTest: ActionPorts['speedTest'],
): ActionRunnerPort {
  let loaded: Promise<ActionRunnerPort> | null = null;
  const load = () =>
    (loaded ??= Promise.all([
      import('../actions/action-runner'),
      import('../actions/ports'),
      import('../actions/process-runner'),
    ]).then(([{ runAction }, { createActionPorts }, { createProcessRunner }]) => {
      const p = process.platform;
      const platform = p === 'win32' || p === 'darwin' ? p : 'linux';
      let userName: string | null = null;
      try {
        userName = userInfo().username;
      } catch {
        // No user name (a service account without one): nothing to redact by name.
      }
      const runner = createProcessRunner();
      return (name, params, options) => {
        const ports = createActionPorts({
          platform,
          privacy: { homeDirs: [homedir()], userName, redact: redact() },
          collect,
          speedTest,
        });
        return runAction(name, params, { runner, ports, ...options });
      };
    }));
  return async (name, params, options) => (await load())(name, params, options);
}

function composeServices(
  platform: AgentPlatform,
  deps: AgentCoreDeps,
  emit: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void,
) {
  const now = platform.now ?? Date.now;
  const logger = platform.logger;
  const stopper = new AbortController();
  let online = false;
  let health: AgentState['health'] = null;
  let lastState = '';

  const settings = createSettingsService(platform.settings, platform.managed, (before, after) =>
    onSettingsChanged(before, after),
  );
  const serverUrl = () => settings.effective().serverUrl;
  let token: () => string | null = () => null;
  const userAgent = `${platform.appName}/${platform.version} (${process.platform})`;
  const api =
    deps.api ??
    createHelpdeskApi({
      baseUrl: serverUrl,
      token: () => token(),
      userAgent,
      signal: stopper.signal,
    });

  const publishState = () => {
    const next = state();
    const text = JSON.stringify(next);
    if (text === lastState) return;
    lastState = text;
    emit('state', next);
  };
  const setOnline = (value: boolean) => {
    if (online === value) return;
    online = value;
    publishState();
    if (value) {
      void localActions.flush();
      outbox.kick(true);
      guidance.wake();
      live?.wake();
    }
  };

  const enrollment = createEnrollment({
    dataDir: platform.dataDir,
    api,
    serverUrl,
    enrollSecret: () => platform.managed.enrollSecret,
    groups: () => platform.managed.groups ?? [],
    agentVersion: platform.version,
    logger,
    now,
    machineId: deps.machineId,
    onChange: (s) => {
      publishState();
      if (s.state === 'enrolled') {
        outbox.kick(true);
        guidance.wake();
        // After a refused token (4001) the channel waits for a new enrollment to start again.
        if (channelStarted) live?.start();
        live?.wake();
      }
    },
  });
  token = () => enrollment.token();

  const onUnauthorized = async () => {
    await enrollment.tokenRejected();
  };

  const outbox = createOutbox({
    dir: join(platform.dataDir, 'outbox'),
    send: async (request, key) => ({ ticketId: (await api.createTicket(request, key)).id }),
    logger,
    now,
    backoff: deps.outboxBackoff,
    onChange: ({ ticketId }) => {
      publishState();
      emit('tickets:changed', { ticketId });
    },
    onCounts: () => publishState(),
    onUnauthorized: () => void onUnauthorized(),
    onReachability: setOnline,
  });

  const content = createContentSync({
    dataDir: platform.dataDir,
    api,
    logger,
    now,
    onChange: (kind) => emit('content:changed', { kind }),
  });

  const guidance = createGuidance({
    dataDir: platform.dataDir,
    api,
    logger,
    enrolled: () => enrollment.credentials() !== null,
    notificationsEnabled: () => settings.effective().notifications,
    notify: platform.notify ? (n) => platform.notify?.(n) : undefined,
    onTicketsChanged: (ticketId) => emit('tickets:changed', { ticketId }),
    onUnreadChanged: publishState,
    onReachability: setOnline,
    onUnauthorized,
    waitSeconds: deps.longPollSeconds,
    onRead: (ticketId, messageId) => live?.read(ticketId, messageId),
    channelGraceMs: deps.channel ? deps.channel.graceMs : undefined,
  });

  // Between start() and stop() only: outside them the channel neither connects nor restarts on enrollment.
  let channelStarted = false;
  const live =
    deps.channel === false
      ? null
      : createLiveChannel({
          serverUrl,
          token: () => token(),
          agentVersion: platform.version,
          userAgent,
          logger,
          guidance,
          syncContent: () => content.sync().then(() => setOnline(true)),
          onUnauthorized: () => void onUnauthorized(),
          onLive: () => {
            setOnline(true);
            commands.flush();
            netmon?.connected();
          },
          onPresence: (presence) => emit('ticket:presence', presence),
          onCommand: (command, reason) => commands.receive(command, reason),
          // A screen share's request goes to its own service (its signature covers the kind it claims).
          onRemoteRequest: (request, reason) =>
            claimedKind(request) === 'share' ? share.receive(request, reason) : remote.receive(request, reason),
          onRemoteStop: (sessionId, reason) => {
            share.stopped(sessionId, reason);
            remote.stopped(sessionId, reason);
          },
          onShareSignal: (message) => share.signalled(message),
          onNetmonConfig: (message) => netmon?.configure(message.config),
          onNetmonAck: (batchId) => netmon?.acked(batchId),
          onNetmonMeasure: () => void netmon?.measure(),
          timing: deps.channel ? deps.channel.timing : undefined,
        });
  // One runner for a technician's commands and the employee's Fix-it runs.
  const actionRunner: ActionRunnerPort =
    deps.actionRunner ??
    localActionRunner(
      () => settings.effective().privacy.redact,
      // snapshot.refresh: a fresh snapshot (the sections asked for) with the privacy settings, sent as inventory.
      async (sections) => {
        try {
          const snapshot = await snapshots.collectForInventory(sections as SectionName[] | undefined);
          await api.uploadSnapshot(snapshot);
          return ok({ sections: Object.keys(snapshot.sections) });
        } catch (error) {
          return err('failed', `The snapshot could not be collected or sent: ${String(error)}`);
        }
      },
      // net.speed-test: through the help desk's speed-test endpoints with this device's token.
      onDemandSpeedTest({ baseUrl: serverUrl, token: () => token(), userAgent }, logger),
    );
  const commands: CommandRunner = onDemandCommandRunner({
    nonces: createNonceStore({ dataDir: platform.dataDir, now, logger }),
    deviceId: () => enrollment.credentials()?.deviceId ?? null,
    publicKey: () => enrollment.commandKey(),
    managedPolicy: () => platform.managed.commandPolicy,
    canAsk: () => deps.consentPrompt === true,
    send: (message) => live?.sendCommandFrame(message) ?? false,
    onPrompts: (prompts) => emit('commands:pending', { prompts }),
    run: actionRunner,
    logger,
    now,
    outputIntervalMs: deps.commandOutputIntervalMs,
  });

  const remote: RemoteSessions = onDemandRemoteSessions({
    deviceId: () => enrollment.credentials()?.deviceId ?? null,
    publicKey: () => enrollment.commandKey(),
    deviceToken: () => token(),
    serverUrl,
    policy: () => remotePolicy(platform.managed.remoteControl),
    // The tray app's window asks (RemoteConsent) and shows the banner with Stop; the daemon has no one to ask.
    canAsk: () => deps.consentPrompt === true,
    send: (message) => live?.sendRemoteFrame(message) ?? false,
    onPrompt: (session) => emit('remote:session', { session }),
    logger,
    now,
    env: deps.remoteEnv,
    userAgent,
  });

  // Fix-it runs (issue 12): recorded on the help desk, kept in the data folder until it has them.
  const localActions = createLocalActionLog({
    dataDir: platform.dataDir,
    send: (run) => api.recordLocalAction(run),
    logger,
  });
  const selfService = onDemandSelfService({
    run: actionRunner,
    findings: () => (health?.findings ?? []).map((f) => f.code),
    articleBody: (id) => content.articles().articles.find((a) => a.id === id)?.body ?? null,
    log: localActions,
    onOutput: (action, chunk) => emit('fixit:output', { action, chunk }),
    logger,
    now,
    signal: stopper.signal,
  });

  const share = onDemandShareSessions({
    deviceId: () => enrollment.credentials()?.deviceId ?? null,
    publicKey: () => enrollment.commandKey(),
    consent: () => platform.managed.remoteControl?.consent ?? 'ask',
    canAsk: () => deps.consentPrompt === true,
    send: (m) => (m.type === 'share.signal' ? live?.sendShareFrame(m) : live?.sendRemoteFrame(m)) ?? false,
    onSession: (session) => emit('share:session', { session }),
    onSignal: (sessionId, signal) => emit('share:signal', { sessionId, signal }),
    chooseSource: (id) => platform.screenShare?.choose(id),
    drawOverlay: (m) => (platform.screenShare ? (platform.screenShare.overlay(m), true) : false),
    logger,
    now,
  });

  // Network monitoring rides on the live channel: without one it has nowhere to send its batches.
  const netmon: Netmon | null = live && deps.netmon !== false ? buildNetmon(platform, deps.netmon ?? {}) : null;
  function buildNetmon(p: AgentPlatform, options: Exclude<AgentCoreDeps['netmon'], false | undefined>): Netmon {
    const os: NetmonPlatform =
      process.platform === 'win32' || process.platform === 'darwin' ? process.platform : 'linux';
    const runner = options.runner ?? createProcessRunner();
    const environment = options.environment ?? realEnvironment(os);
    return createNetmon({
      dataDir: p.dataDir,
      logger,
      platform: os,
      runner,
      environment,
      link:
        options.link !== undefined
          ? options.link
          : createLinkReader(realLinkPorts(os, runner), () => environment.defaultRoute()),
      serverUrl,
      online: () => live?.state() === 'live',
      send: (batch) => live?.sendNetmonBatch({ type: 'netmon.batch', ...batch }) ?? false,
      skewMs: () => live?.skewMs() ?? 0,
      speedTest: onDemandSpeedTest({ baseUrl: serverUrl, token: () => token(), userAgent }, logger),
      enrolled: () => enrollment.credentials() !== null,
      userAgent,
      now,
      queue: options.queue,
    });
  }

  const startChannel = () => {
    channelStarted = true;
    live?.start();
  };
  const stopChannel = () => {
    channelStarted = false;
    live?.stop();
  };

  const agent = { name: platform.appName, version: platform.version };
  const diagnostics = deps.collector || deps.snapshotProcess ? null : lazyDiagnostics(platform);
  const collector =
    deps.collector ??
    (deps.snapshotProcess ? createProcessCollector(deps.snapshotProcess, agent, logger) : null) ??
    (diagnostics as SnapshotCollector);
  const snapshots = createSnapshotService({
    collector,
    privacy: () => settings.effective().privacy,
    serverUrl,
    logger,
  });
  const screenshots = createScreenshotService(platform, () => settings.effective().privacy.allowScreenshots);
  const inventory = createInventory({
    dataDir: platform.dataDir,
    api,
    collect: (sections) => snapshots.collectForInventory(sections),
    enrolled: () => enrollment.credentials() !== null,
    logger,
    intervalMs: () =>
      deps.inventoryIntervalMs ??
      (platform.managed.inventoryIntervalHours !== undefined
        ? platform.managed.inventoryIntervalHours * 3_600_000
        : INVENTORY_INTERVAL_MS),
  });

  function state(): AgentState {
    return {
      computerName: hostname(),
      enrollment: enrollment.state(),
      online,
      health,
      unread: guidance.unreadTotal(),
      outbox: outbox.counts(),
    };
  }

  function onSettingsChanged(before: UserSettings, after: UserSettings): void {
    if (before.startAtLogin !== after.startAtLogin) platform.setStartAtLogin?.(after.startAtLogin);
    if (before.serverUrl !== after.serverUrl) {
      online = false;
      if (channelStarted) {
        live?.stop();
        live?.start();
      }
      void enrollment.ensure().then(() => {
        void content.sync().catch(() => {});
      });
    }
    publishState();
  }

  /** Builds the request the outbox stores for a submitted form. */
  async function buildTicket(form: {
    subject: string;
    description: string;
    category: CreateTicketRequest['category'];
    urgency: CreateTicketRequest['urgency'];
    impact: CreateTicketRequest['impact'];
    excludeSections: Parameters<typeof snapshots.forSubmit>[0];
    includeSnapshot: boolean;
    screenshotId: string | null;
  }): Promise<CreateTicketRequest> {
    const attachments = form.screenshotId ? [screenshots.take(form.screenshotId)] : [];
    let snapshot: unknown;
    if (form.includeSnapshot) {
      try {
        snapshot = await snapshots.forSubmit(form.excludeSections);
      } catch (error) {
        // The ticket matters more than its snapshot: it goes without one rather than not at all.
        logger.error('snapshot for the ticket failed; sending without it', { error: String(error) });
      }
    }
    return {
      subject: form.subject,
      description: form.description,
      category: form.category,
      urgency: form.urgency,
      impact: form.impact,
      attachments,
      ...(snapshot === undefined ? {} : { snapshot }),
    };
  }

  return {
    platform,
    logger,
    now,
    stopper,
    api,
    settings,
    enrollment,
    outbox,
    content,
    guidance,
    live,
    commands,
    remote,
    selfService,
    localActions,
    share,
    inventory,
    netmon,
    startChannel,
    stopChannel,
    snapshots,
    screenshots,
    diagnostics,
    state,
    publishState,
    setHealth: (h: AgentState['health']) => ((health = h), publishState()),
    buildTicket,
    setOnline,
  };
}

/** Builds the agent core over a host platform; nothing runs until start(). */
export function createAgentCore(platform: AgentPlatform, deps: AgentCoreDeps = {}): AgentCore {
  const listeners = new Set<AgentEventListener>();
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => {
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        platform.logger.error('event listener failed', { event, error: String(error) });
      }
    }
  };
  const s = composeServices(platform, deps, emit);
  const timers: NodeJS.Timeout[] = [];
  let started = false;
  let stopped = false;

  const syncContent = () =>
    s.content.sync().then(
      () => s.setOnline(true),
      (error: unknown) => s.logger.warn('content sync failed', { error: String(error) }),
    );
  const heartbeat = async () => {
    if (!s.enrollment.credentials()) return;
    const h = s.state().health;
    try {
      await s.api.heartbeat({
        agentVersion: platform.version,
        health: {
          status: h?.status ?? 'unknown',
          findings: (h?.findings ?? []).slice(0, 64).map((f) => ({ code: f.code, severity: f.severity })),
        },
      });
      s.setOnline(true);
    } catch (error) {
      s.logger.warn('heartbeat failed', { error: String(error) });
    }
  };

  return {
    handlers: createAgentHandlers(s, { heartbeat }),
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    state: () => s.state(),
    async start() {
      if (started || stopped) return;
      started = true;
      await Promise.all([s.enrollment.load(), s.content.load(), s.guidance.load()]);
      await s.outbox.list().catch(() => []);
      s.publishState();
      platform.setStartAtLogin?.(s.settings.effective().startAtLogin);
      s.outbox.start();
      s.startChannel();
      void s.netmon
        ?.start()
        .catch((error: unknown) => s.logger.error('netmon did not start', { error: String(error) }));
      s.guidance.start();
      void s.enrollment.ensure().then(() => {
        if (stopped) return;
        s.outbox.kick();
        s.guidance.wake();
        void syncContent();
        void heartbeat();
        void s.localActions.flush();
        void s.inventory.start();
      });
      const every = (ms: number, fn: () => unknown) => {
        const timer = setInterval(() => void fn(), ms);
        timer.unref?.();
        timers.push(timer);
      };
      every(deps.syncIntervalMs ?? 60_000, async () => {
        if (!s.enrollment.credentials()) await s.enrollment.ensure();
        // While the channel is live, content.changed brings changes as they happen.
        if (s.live?.state() === 'live') return;
        if (s.enrollment.credentials()) await syncContent();
      });
      every(deps.heartbeatIntervalMs ?? 5 * 60_000, heartbeat);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      s.stopper.abort();
      // Before the channel closes: an open prompt is refused as "stopped", a running action aborted, and
      // their last frame has a moment to go out (else it is sent after the next start).
      s.commands.stop();
      await Promise.race([s.commands.idle(), new Promise((resolve) => setTimeout(resolve, 1000).unref?.())]);
      s.share.shutdown();
      await s.remote.shutdown();
      await s.netmon?.stop();
      s.stopChannel();
      s.inventory.stop();
      await Promise.all([s.outbox.stop(), s.guidance.stop()]);
      s.diagnostics?.dispose();
      listeners.clear();
    },
  };
}

/** IT's remote-control policy with its defaults: ask; x11vnc on Linux, nothing elsewhere unless configured. */
function remotePolicy(managed: AgentPlatform['managed']['remoteControl']): RemoteControlPolicy {
  return {
    consent: managed?.consent ?? 'ask',
    vnc: managed?.vnc ?? (process.platform === 'linux' ? { server: 'x11vnc' } : null),
    controlNeedsSecondConsent: managed?.controlNeedsSecondConsent === true,
  };
}
