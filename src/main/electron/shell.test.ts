import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type AgentState } from '../../shared/ipc/contract';
import type { AgentCore, AgentEventListener, AgentPlatform } from '../services/agent-platform';
import { fakeElectron as fake, fakeEvent, type FakeWebContents } from './electron.fake';

/*
 * The composition root (src/main/index.ts) and the Electron glue it wires, run in Node against a
 * fake `electron` module and a fake agent core: start-up order, the locked-down window, sender-checked
 * IPC, hardening, tray, notifications, close-to-tray and quit. What Electron itself does with these
 * calls is covered by the Playwright _electron spec where the binary exists.
 */

vi.mock('electron', async () => (await import('./electron.fake')).fakeElectron.module);
vi.mock('electron-store', () => ({
  default: class {
    data = new Map<string, unknown>();
    get(key: string) {
      return this.data.get(key);
    }
    set(key: string, value: unknown) {
      this.data.set(key, value);
    }
    delete(key: string) {
      this.data.delete(key);
    }
  },
}));
const core = vi.hoisted(() => ({
  platform: null as AgentPlatform | null,
  listeners: [] as AgentEventListener[],
  calls: [] as string[],
  state: null as AgentState | null,
}));
vi.mock('../services/agent-core', () => ({
  createAgentCore: (platform: AgentPlatform): AgentCore => {
    core.platform = platform;
    const handlers = Object.fromEntries(
      IPC_CHANNELS.map((channel) => [
        channel,
        async (arg: unknown) => {
          core.calls.push(channel);
          return { channel, arg };
        },
      ]),
    );
    return {
      handlers: handlers as unknown as AgentCore['handlers'],
      onEvent: (listener) => {
        core.listeners.push(listener);
        return () => {};
      },
      state: () => core.state!,
      start: async () => {
        core.calls.push('start');
      },
      stop: async () => {
        core.calls.push('stop');
      },
    };
  },
}));

const dataDir = mkdtempSync(join(tmpdir(), 'deskside-shell-'));
const argv = process.argv;
/** Waits for what the shell does asynchronously (no fixed sleep: the machine may be loaded). */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 5 });
const emitState = (state: Partial<AgentState>) => {
  core.state = { ...core.state!, ...state };
  for (const listener of core.listeners) listener('state', core.state);
};

beforeAll(() => {
  core.state = {
    computerName: hostname(),
    enrollment: { state: 'not-configured', serverUrl: null, deviceId: null, error: null },
    online: false,
    health: null,
    unread: 0,
    outbox: { pending: 0, failed: 0 },
  };
  process.env.DESKSIDE_AGENT_CONFIG = join(dataDir, 'absent-config.json');
  process.argv = ['electron', '.', '--server-url', 'https://helpdesk.example.com', '--data-dir', dataDir];
});
afterAll(() => {
  process.argv = argv;
  delete process.env.DESKSIDE_AGENT_CONFIG;
  rmSync(dataDir, { recursive: true, force: true });
});

// One scenario in steps: the composition root is imported once and each step builds on the one before,
// so the steps keep their order under --sequence.shuffle.
describe('the Electron shell, step by step', { shuffle: false }, () => {
  describe('the composition root', () => {
    it('only bootstraps at import: scheme, data folder, single-instance lock, app id; nothing else until ready', async () => {
      await import('../index');
      expect(fake.calls).toEqual([
        'setName Deskside',
        'setPath userData',
        'registerSchemesAsPrivileged [{"scheme":"app","privileges":{"standard":true,"secure":true,"supportFetchAPI":true,"corsEnabled":true,"codeCache":true}}]',
        'requestSingleInstanceLock {"hidden":false}',
        'setAppUserModelId org.deskside.agent',
      ]);
      expect(fake.windows).toHaveLength(0);
      expect(core.platform).toBeNull();
    });

    it('when ready, builds the core with the managed flags, then IPC, window and tray, and starts the core', async () => {
      fake.ready();
      await eventually(() => expect(core.calls).toContain('start'));
      expect(core.platform).toMatchObject({
        appName: 'Deskside',
        version: '0.1.0-test',
        dataDir,
        managed: { serverUrl: 'https://helpdesk.example.com', sources: ['command line'] },
      });
      expect(core.platform!.logFile).toBe(join(dataDir, 'logs', 'deskside.log'));
      expect([...fake.handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
      expect(fake.protocolHandlers.has('app')).toBe(true);
      expect(fake.windows).toHaveLength(1);
      expect(fake.trays).toHaveLength(1);
      expect(core.calls).toContain('start');
    });

    it('creates one 960×680 window, isolated and sandboxed, loading app://deskside/', () => {
      const window = fake.windows[0]!;
      expect(window.options).toMatchObject({ width: 960, height: 680, show: false, title: 'Deskside' });
      expect(window.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
      });
      expect(window.options.webPreferences.preload).toMatch(/dist[\\/]preload[\\/]preload\.cjs$/);
      expect(window.loadedUrl).toBe('app://deskside/index.html');
      window.emit('ready-to-show');
      expect(window.visible).toBe(true);
    });
  });

  describe('IPC', () => {
    const call = (sender: FakeWebContents | { id: number }, frame: object | null, channel: string, arg: unknown) =>
      fake.handlers.get(channel)!({ sender, senderFrame: frame }, arg) as Promise<{
        ok: boolean;
        value?: unknown;
        error?: { code: string };
      }>;

    it('answers the app window main frame through dispatchIpc', async () => {
      const contents = fake.windows[0]!.webContents;
      await expect(call(contents, contents.mainFrame, 'tickets:get', { ticketId: 4 })).resolves.toEqual({
        ok: true,
        value: { channel: 'tickets:get', arg: { ticketId: 4 } },
      });
      await expect(call(contents, contents.mainFrame, 'tickets:get', { ticketId: -1 })).resolves.toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
    });

    it('refuses other frames, other pages and other web contents', async () => {
      const contents = fake.windows[0]!.webContents;
      const before = core.calls.length;
      const subframe = { url: 'app://deskside/index.html', parent: contents.mainFrame, processId: 7, routingId: 99 };
      await expect(call(contents, subframe, 'app:info', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      await expect(
        call(contents, { ...contents.mainFrame, parent: contents.mainFrame }, 'app:info', {}),
      ).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
      await expect(call(contents, { ...contents.mainFrame, processId: 8 }, 'app:info', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      contents.mainFrame.url = 'https://evil.example.com/';
      await expect(call(contents, contents.mainFrame, 'app:info', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      contents.mainFrame.url = 'app://deskside/index.html';
      await expect(call({ id: 12345 }, contents.mainFrame, 'app:info', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      await expect(call(contents, null, 'app:info', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(core.calls.length).toBe(before);
    });

    it('forwards core events to the window', () => {
      for (const listener of core.listeners) listener('tickets:changed', { ticketId: 9 });
      expect(fake.windows[0]!.webContents.sent).toContainEqual(['tickets:changed', { ticketId: 9 }]);
    });
  });

  describe('hardening', () => {
    it('blocks navigation; allow-listed URLs open in the browser, others nowhere', async () => {
      const contents = fake.windows[0]!.webContents;
      for (const url of ['https://intranet.example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
        const event = fakeEvent({ url, isMainFrame: true });
        contents.emit('will-navigate', event);
        expect(event.defaultPrevented, url).toBe(true);
        const redirect = fakeEvent({ url });
        contents.emit('will-redirect', redirect);
        expect(redirect.defaultPrevented).toBe(true);
      }
      const webview = fakeEvent();
      contents.emit('will-attach-webview', webview);
      expect(webview.defaultPrevented).toBe(true);
      expect(contents.windowOpenHandler!({ url: 'https://portal.example.com/' })).toEqual({ action: 'deny' });
      expect(contents.windowOpenHandler!({ url: 'smb://share/x' })).toEqual({ action: 'deny' });
      await eventually(() => expect(fake.opened).toHaveLength(3));
      expect(fake.opened).toEqual([
        'https://intranet.example.com/',
        'https://intranet.example.com/',
        'https://portal.example.com/',
      ]);
    });

    it('denies permissions and devices, adds the CSP to every response', () => {
      const granted: boolean[] = [];
      fake.session.permissionRequest!(null, 'media', (ok: boolean) => granted.push(ok), {
        requestingUrl: 'app://deskside/index.html',
      });
      fake.session.permissionRequest!(null, 'notifications', (ok: boolean) => granted.push(ok), {
        requestingUrl: 'app://deskside/index.html',
      });
      expect(granted).toEqual([false, false]);
      expect(fake.session.permissionCheck!(null, 'geolocation', 'app://deskside')).toBe(false);
      expect(fake.session.devicePermission!()).toBe(false);
      let headers: Record<string, string[]> = {};
      fake.session.headersReceived!(
        { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
        (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders),
      );
      expect(headers['Content-Security-Policy']![0]).toContain("default-src 'none'");
      expect(headers['content-security-policy']).toBeUndefined();
      expect(headers['X-Other']).toEqual(['1']);
    });
  });

  describe('tray, notifications, window and quit', () => {
    it('shows the status in the tooltip and icon, and rebuilds on state events', () => {
      const tray = fake.trays[0]!;
      expect(tray.tooltip).toBe(`Deskside — ${hostname()}: Not enrolled`);
      expect(tray.image.path).toMatch(/assets[\\/]tray[\\/]offline[\\/]tray\.png$/);
      emitState({
        enrollment: { state: 'enrolled', serverUrl: 'https://helpdesk.example.com', deviceId: 'd', error: null },
        online: true,
        unread: 2,
      });
      expect(tray.tooltip).toBe(`Deskside — ${hostname()}: 2 unread replies`);
      expect(tray.image.path).toMatch(/unread[\\/]tray\.png$/);
      expect(tray.menu!.items.map((i) => i.label)).toContain('My tickets (2 unread)');
    });

    it('opens the window on a screen from the menu, once the renderer has loaded', () => {
      const window = fake.windows[0]!;
      window.hide();
      fake.trays[0]!.click('Get help…');
      expect(window.visible).toBe(true);
      window.webContents.emit('did-finish-load');
      expect(window.webContents.sent).toContainEqual(['navigate', { screen: 'help' }]);
    });

    it('a notification click opens the ticket', () => {
      core.platform!.notify!({ title: 'Reply from the help desk', body: 'Try restarting.', ticketId: 7 });
      const notification = fake.notifications.at(-1)!;
      expect(notification.shown).toBe(true);
      fake.windows[0]!.hide();
      notification.emit('click');
      expect(fake.windows[0]!.visible).toBe(true);
      expect(fake.windows[0]!.webContents.sent.at(-1)).toEqual(['navigate', { screen: 'ticket', ticketId: 7 }]);
    });

    it('opens only allow-listed URLs for the core', async () => {
      await expect(core.platform!.openExternal('smb://fileserver/share')).rejects.toThrow();
      await core.platform!.openExternal('mailto:it@example.com');
      expect(fake.opened.at(-1)).toBe('mailto:it@example.com');
    });

    it('does not register a development run to start at login', () => {
      core.platform!.setStartAtLogin!(true);
      expect(fake.calls.some((c) => c.startsWith('setLoginItemSettings'))).toBe(false);
    });

    it('a second launch shows the window unless it is a hidden autostart', () => {
      const window = fake.windows[0]!;
      window.hide();
      fake.module.app.emit('second-instance', fakeEvent(), [], '/', { hidden: true });
      expect(window.visible).toBe(false);
      fake.module.app.emit('second-instance', fakeEvent(), [], '/', { hidden: false });
      expect(window.visible).toBe(true);
    });

    it('closing the window hides it; Quit in the tray stops the core and then quits', async () => {
      const window = fake.windows[0]!;
      window.close();
      expect(window.isDestroyed()).toBe(false);
      expect(window.visible).toBe(false);

      fake.trays[0]!.click('Quit Deskside');
      await eventually(() => expect(fake.calls).toContain('quit: done'));
      expect(core.calls.at(-1)).toBe('stop');
      expect(fake.calls.filter((c) => c.startsWith('quit'))).toEqual(['quit', 'quit', 'quit: done']);
      expect(fake.trays[0]!.destroyed).toBe(true);
      expect(fake.handlers.size).toBe(0);
      window.close();
      expect(window.isDestroyed()).toBe(true);
    });
  });
});
