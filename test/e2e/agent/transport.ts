import type { Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { createAgentCore, type AgentCoreDeps } from '../../../src/main/services/agent-core';
import type {
  AgentCore,
  AgentNotification,
  AgentPlatform,
  ManagedConfig,
} from '../../../src/main/services/agent-platform';
import type { SnapshotCollector } from '../../../src/main/services/snapshot.service';
import { createJsonSettingsStore } from '../../../src/main/services/settings-store';
import { dispatchIpc } from '../../../src/shared/ipc/dispatch';
import type { IpcArg, IpcChannel, IpcResponse } from '../../../src/shared/ipc/contract';
import { makePng } from './png';

/*
 * The browser-test transport: the REAL agent core (createAgentCore) runs in the test process against
 * a real server; the built window (dist/renderer) runs in Chromium and reaches it through
 * `window.deskside`, which this file provides with page.exposeFunction (invoke → dispatchIpc over the
 * core's handlers) and page.evaluate (core events pushed into the page). Only the operating system
 * is stood in for: the screen capture returns a generated PNG and opening a URL is recorded.
 */

/** The running agent core and what it did outside the window. */
export interface AgentHarness {
  core: AgentCore;
  dataDir: string;
  /** URLs the core asked the OS to open (external:open). */
  opened: string[];
  notifications: AgentNotification[];
  /** Calls a channel exactly as the window would. */
  invoke<C extends IpcChannel>(channel: C, arg: IpcArg<C>): Promise<IpcResponse<C>>;
  stop(): Promise<void>;
}

/** Builds and starts the real agent core against `serverUrl`, enrolled with `enrollSecret`. */
export async function startAgent(options: {
  serverUrl: string;
  enrollSecret: string;
  managed?: Partial<ManagedConfig>;
  /** Stands in for this machine's diagnostics (a fixture laptop); the real probes run without it. */
  collector?: SnapshotCollector;
  /** A window is there to ask the employee (default); false: the headless daemon's core. */
  consentPrompt?: boolean;
  /** An existing data folder (the same agent started again); kept on stop. A fresh one otherwise, removed on stop. */
  dataDir?: string;
  /** Runs actions (Fix it, remote commands); default: runAction on this machine. */
  actionRunner?: AgentCoreDeps['actionRunner'];
  /** The host's screen-share glue (Electron's desktopCapturer and pointer overlay in the app); none by default. */
  screenShare?: AgentPlatform['screenShare'];
  /** Network monitoring's stand-ins (e.g. no link reader); default: the real probes. */
  netmon?: AgentCoreDeps['netmon'];
}): Promise<AgentHarness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'deskside-agent-e2e-')));
  const opened: string[] = [];
  const notifications: AgentNotification[] = [];
  const screen = makePng(320, 200);
  const platform: AgentPlatform = {
    appName: 'Deskside',
    version: '0.1.0',
    dataDir,
    logFile: join(dataDir, 'logs', 'agent.log'),
    managedConfigPath: '/etc/deskside/config.json',
    managed: { serverUrl: options.serverUrl, enrollSecret: options.enrollSecret, sources: ['e2e'], ...options.managed },
    settings: createJsonSettingsStore(join(dataDir, 'settings.json')),
    logger: {
      info: () => {},
      warn: () => {},
      error: (message, details) => console.error('agent:', message, details ?? ''),
    },
    notify: (n) => void notifications.push(n),
    captureScreen: async () => ({ png: screen, width: 320, height: 200 }),
    openExternal: async (url) => void opened.push(url),
    ...(options.screenShare ? { screenShare: options.screenShare } : {}),
  };
  const core = createAgentCore(platform, {
    syncIntervalMs: 1000,
    longPollSeconds: 2,
    collector: options.collector,
    consentPrompt: options.consentPrompt ?? true,
    ...(options.actionRunner ? { actionRunner: options.actionRunner } : {}),
    ...(options.netmon !== undefined ? { netmon: options.netmon } : {}),
  });
  await core.start();
  return {
    core,
    dataDir,
    opened,
    notifications,
    invoke: (channel, arg) => dispatchIpc(core.handlers, channel, arg) as Promise<IpcResponse<typeof channel>>,
    async stop() {
      await core.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The CSP the Electron host sends as a header (frame-ancestors only works there). */
const CSP_HEADER =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

/**
 * Serves a copy of dist/renderer on 127.0.0.1 with the window's CSP header; returns its URL. The copy
 * keeps a test run stable while something else rebuilds dist/ in the same checkout.
 */
export async function serveRenderer(
  built = join(process.cwd(), 'dist', 'renderer'),
): Promise<{ url: string; close(): Promise<void> }> {
  await waitFor(
    'a built renderer (npm run build)',
    () => existsSync(join(built, 'index.html')) && existsSync(join(built, 'app.js')),
    10_000,
  );
  const root = await mkdtemp(join(tmpdir(), 'deskside-renderer-'));
  await cp(built, root, { recursive: true });
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'content-security-policy': CSP_HEADER,
            'cache-control': 'no-store',
          })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      // The page may still hold a connection it opened ahead of a request (Chromium preconnects); close()
      // alone waits for it to time out (about a minute), so every connection is ended with it.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rm(root, { recursive: true, force: true });
    },
  };
}

// Runs in the page before any of its scripts: the bridge the preload would expose, backed by the
// exposed __desksideInvoke binding, an event fan-out the test process calls, and a CSP violation log.
const BRIDGE_SCRIPT = `(() => {
  const listeners = new Map();
  const violations = [];
  window.__desksideCspViolations = violations;
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.__desksideEmit = (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
  window.deskside = Object.freeze({
    invoke: (channel, arg) => window.__desksideInvoke(channel, arg),
    on: (event, listener) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => void listeners.get(event).delete(listener);
    },
  });
})();`;

/** What a page reported about itself: console errors, uncaught errors, CSP violations, dialogs. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  cspViolations(): Promise<string[]>;
}

/**
 * Gives `page` a `window.deskside` backed by the agent core, records its problems, and forwards the
 * core's events into it. Call before page.goto.
 */
export async function attachWindow(page: Page, agent: AgentHarness): Promise<PageProblems> {
  const problems = { consoleErrors: [] as string[], pageErrors: [] as string[], dialogs: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  page.on('dialog', (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });

  await page.exposeFunction('__desksideInvoke', (channel: unknown, arg: unknown) =>
    dispatchIpc(agent.core.handlers, channel, arg),
  );
  await page.addInitScript({ content: BRIDGE_SCRIPT });
  const off = agent.core.onEvent((event, payload) => {
    if (page.isClosed()) return;
    page
      .evaluate(
        ([e, p]) =>
          (globalThis as unknown as { __desksideEmit?: (e: string, p: unknown) => void }).__desksideEmit?.(e, p),
        [event, payload] as const,
      )
      .catch(() => {});
  });
  page.once('close', off);
  return {
    ...problems,
    cspViolations: () =>
      page.evaluate(() => [
        ...((globalThis as unknown as { __desksideCspViolations?: string[] }).__desksideCspViolations ?? []),
      ]),
  };
}

/** What the overlay page's canvas says it shows (src/renderer/overlay/overlay-view.ts). */
export interface OverlayState {
  annotations: number;
  pointer: string;
  messages: number;
}

/**
 * Gives the screen-share overlay page (dist/renderer/overlay.html) the bridge the preload would: `on` only
 * (main answers no invoke from the overlay window), and returns `draw`, which plays main's
 * `webContents.send('share:overlay', message)` into it, in order. Call before page.goto.
 */
export async function attachOverlay(
  page: Page,
): Promise<{ draw(message: unknown): Promise<void>; state(): Promise<OverlayState> }> {
  await page.addInitScript({
    content: `(() => {
      const listeners = new Map();
      window.__desksideEmit = (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
      window.deskside = Object.freeze({
        invoke: () => Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'not from the overlay' } }),
        on: (event, listener) => {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event).add(listener);
          return () => void listeners.get(event).delete(listener);
        },
      });
    })();`,
  });
  let queue = Promise.resolve();
  return {
    draw(message) {
      queue = queue.then(() =>
        page
          .evaluate(
            (m) =>
              (globalThis as unknown as { __desksideEmit(e: string, p: unknown): void }).__desksideEmit(
                'share:overlay',
                m,
              ),
            message,
          )
          .catch(() => {}),
      );
      return queue;
    },
    state: () =>
      page.locator('#overlay').evaluate((canvas) => {
        const data = (canvas as unknown as { dataset: Record<string, string | undefined> }).dataset;
        return {
          annotations: Number(data.annotations ?? 0),
          pointer: data.pointer ?? '',
          messages: Number(data.messages ?? 0),
        };
      }),
  };
}
