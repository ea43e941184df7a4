import type { SpeedTestPort } from '../actions/types';
import type { AgentLogger } from './agent-platform';
import type { CommandPolicy, CommandRunner, CommandRunnerDeps } from './command-runner.service';
import type { RemoteSessionDeps, RemoteSessions } from './remote-session.service';
import type { SelfService, SelfServiceDeps } from './self-service.service';
import type { ShareSessionDeps, ShareSessions } from './share-session.service';
import type { SpeedTestClientOptions } from './speed-test-client';

/*
 * The services an idle agent does not use, built on first use: remote commands, remote control, screen
 * share, Fix-it and the speed test. Each module is imported dynamically (the Node bundles are split, so it
 * is its own chunk) when the first frame or request that needs it arrives: the daemon's idle memory is
 * what its code and schemas cost once loaded, and most agents go days without any of these.
 *
 * Each stand-in has the service's interface. Calls that arrive while the module loads are applied in
 * order once it is there; a question asked before it is there (a prompt, a current session) has the
 * answer of a service that has received nothing. Ending it (stop, shutdown) before it loads is kept
 * and applied to the service should it load afterwards, so a late frame meets a stopped service, as before.
 */

interface OnFirstUse<T> {
  /** The service, loading it first if needed. */
  use(): Promise<T>;
  /** The service if it is loaded, else null. */
  loaded(): T | null;
  /** The service if it was asked for (loaded or loading), else null. */
  asked(): Promise<T> | null;
  /** Calls fn with the service: now if it is loaded, else once it is (loading it); a failed load is logged. */
  call(fn: (service: T) => void): void;
  /** Calls fn with the service now if it is loaded, after the load in progress, or never if it was not asked for. */
  whenLoaded(fn: (service: T) => void): void;
  /** Ends the service as whenLoaded does; if it was not asked for, ends it right after a later load. */
  end<R>(fn: (service: T) => R): Promise<R | undefined>;
}

function onFirstUse<T>(name: string, logger: AgentLogger, build: () => Promise<T>): OnFirstUse<T> {
  let service: T | null = null;
  let loading: Promise<T> | null = null;
  let ending: ((service: T) => unknown) | null = null;
  const use = () =>
    (loading ??= build().then(
      (built) => {
        ending?.(built);
        return (service = built);
      },
      (error: unknown) => {
        // Asked again, it tries again.
        loading = null;
        throw error;
      },
    ));
  return {
    use,
    loaded: () => service,
    asked: () => loading,
    call(fn) {
      if (service) return fn(service);
      use().then(fn, (error: unknown) => logger.error(`${name} did not load`, { error: String(error) }));
    },
    whenLoaded(fn) {
      if (service) fn(service);
      // A load that failed was logged by call(): nothing to apply it to.
      else void loading?.then(fn, () => {});
    },
    async end(fn) {
      if (service) return fn(service);
      if (loading) return loading.then(fn, () => undefined);
      ending = fn;
      return undefined;
    },
  };
}

/**
 * The remote-command runner, its policy IT's managed one over the defaults; a stored answer not sent yet
 * (command-nonces.json) loads it when the channel is live.
 */
export function onDemandCommandRunner(
  deps: Omit<CommandRunnerDeps, 'policy'> & { managedPolicy(): Partial<CommandPolicy> | undefined },
): CommandRunner {
  const runner = onFirstUse('the command runner', deps.logger, () =>
    import('./command-runner.service').then(({ createCommandRunner, DEFAULT_COMMAND_POLICY }) =>
      createCommandRunner({ ...deps, policy: () => ({ ...DEFAULT_COMMAND_POLICY, ...deps.managedPolicy() }) }),
    ),
  );
  let stopped = false;
  return {
    receive: (signed, reason) => runner.call((r) => r.receive(signed, reason)),
    answer: (commandId, allow) => runner.loaded()?.answer(commandId, allow) ?? false,
    prompts: () => runner.loaded()?.prompts() ?? [],
    flush() {
      const loaded = runner.loaded();
      if (loaded) return loaded.flush();
      // Only a command received by an earlier run can have an answer left to send.
      void deps.nonces.load().then(() => {
        if (!stopped && deps.nonces.unsent().length > 0) runner.call((r) => r.flush());
      });
    },
    idle: async () => (await runner.asked()?.catch(() => null))?.idle(),
    stop() {
      stopped = true;
      void runner.end((r) => r.stop());
    },
  };
}

/** Remote control (a VNC server reached through the help desk's tunnel). */
export function onDemandRemoteSessions(deps: RemoteSessionDeps): RemoteSessions {
  const sessions = onFirstUse('remote control', deps.logger, () =>
    import('./remote-session.service').then((m) => m.createRemoteSessions(deps)),
  );
  return {
    receive: (request, reason) => sessions.call((s) => s.receive(request, reason)),
    stopped: (sessionId, reason) => sessions.whenLoaded((s) => s.stopped(sessionId, reason)),
    answer: (sessionId, allow, stage) => sessions.loaded()?.answer(sessionId, allow, stage) ?? false,
    stop: (sessionId) => sessions.loaded()?.stop(sessionId) ?? false,
    current: () => sessions.loaded()?.current() ?? null,
    shutdown: async () => void (await sessions.end((s) => s.shutdown())),
  };
}

/**
 * The kind a remote.request claims (before verification): which service verifies it. Read here so that
 * routing a request loads only the service it is for.
 */
export function claimedKind(request: unknown): unknown {
  return ((request as { envelope?: { kind?: unknown } } | null)?.envelope as { kind?: unknown } | undefined)?.kind;
}

/** Screen share (WebRTC from the tray app's window; signalling over the channel). */
export function onDemandShareSessions(deps: ShareSessionDeps): ShareSessions {
  const sessions = onFirstUse('screen share', deps.logger, () =>
    import('./share-session.service').then((m) => m.createShareSessions(deps)),
  );
  return {
    receive: (request, reason) => sessions.call((s) => s.receive(request, reason)),
    stopped: (sessionId, reason) => sessions.whenLoaded((s) => s.stopped(sessionId, reason)),
    signalled: (message) => sessions.whenLoaded((s) => s.signalled(message)),
    answer: (sessionId, allow, sourceId) => sessions.loaded()?.answer(sessionId, allow, sourceId) ?? false,
    signal: (sessionId, signal) => sessions.loaded()?.signal(sessionId, signal) ?? false,
    overlay: (sessionId, data) => sessions.loaded()?.overlay(sessionId, data) ?? false,
    stop: (sessionId, reason) => sessions.loaded()?.stop(sessionId, reason) ?? false,
    current: () => sessions.loaded()?.current() ?? null,
    shutdown: () => void sessions.end((s) => s.shutdown()),
  };
}

/** Fix-it (the employee's self-service actions). */
export function onDemandSelfService(deps: SelfServiceDeps): SelfService {
  const service = onFirstUse('Fix-it', deps.logger, () =>
    import('./self-service.service').then((m) => m.createSelfService(deps)),
  );
  return { run: async (request) => (await service.use()).run(request) };
}

/** The help desk's speed-test endpoints (net.speed-test, netmon's bandwidth tests). */
export function onDemandSpeedTest(options: SpeedTestClientOptions, logger: AgentLogger): SpeedTestPort {
  const client = onFirstUse('the speed-test client', logger, () =>
    import('./speed-test-client').then((m) => m.createSpeedTestClient(options)),
  );
  return {
    download: async (bytes, signal) => (await client.use()).download(bytes, signal),
    upload: async (bytes, signal) => (await client.use()).upload(bytes, signal),
  };
}
