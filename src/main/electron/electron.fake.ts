import { EventEmitter } from 'node:events';

/*
 * An in-memory stand-in for the parts of the `electron` module the shell uses, so the composition
 * root, IPC wiring, protocol, hardening, window and tray run in Node tests (Electron's binary is not
 * installed on our machines). It records what the shell asked for and lets a test fire the events
 * Electron would. Only what the shell calls is modelled; anything else is absent on purpose.
 */

type Listener = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- mirrors EventEmitter

/** An event object with preventDefault, as Electron passes to will-navigate, close, will-quit… */
export function fakeEvent(extra: Record<string, unknown> = {}) {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
    ...extra,
  };
}

let nextId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = { url: '', parent: null as object | null, processId: 7, routingId: this.id };
  readonly sent: Array<[string, unknown]> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export function createFakeElectron() {
  const calls: string[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const paths: Record<string, string> = {};

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    dock: undefined,
    setName: (name: string) => calls.push(`setName ${name}`),
    setPath: (name: string, value: string) => {
      paths[name] = value;
      calls.push(`setPath ${name}`);
    },
    getPath: (name: string) => paths[name] ?? `${paths.userData ?? '/tmp'}/${name}`,
    getVersion: () => '0.1.0-test',
    requestSingleInstanceLock: (data: unknown) => {
      calls.push(`requestSingleInstanceLock ${JSON.stringify(data)}`);
      return true;
    },
    setAppUserModelId: (id: string) => calls.push(`setAppUserModelId ${id}`),
    setLoginItemSettings: (settings: unknown) => calls.push(`setLoginItemSettings ${JSON.stringify(settings)}`),
    whenReady: () => readyPromise,
    exit: (code: number) => calls.push(`exit ${code}`),
    /** Like Electron: before-quit, then will-quit (which a listener may prevent); quits unless prevented. */
    quit: () => {
      calls.push('quit');
      app.emit('before-quit', fakeEvent());
      const event = fakeEvent();
      app.emit('will-quit', event);
      if (!event.defaultPrevented) calls.push('quit: done');
    },
  });

  const protocolHandlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  const session = Object.assign(new EventEmitter(), {
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    devicePermission: null as Listener | null,
    headersReceived: null as Listener | null,
    displayMedia: null as Listener | null,
    setDisplayMediaRequestHandler(handler: Listener) {
      this.displayMedia = handler;
    },
    setPermissionRequestHandler(handler: Listener) {
      this.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: Listener) {
      this.permissionCheck = handler;
    },
    setDevicePermissionHandler(handler: Listener) {
      this.devicePermission = handler;
    },
    webRequest: {
      onHeadersReceived: (handler: Listener) => {
        session.headersReceived = handler;
      },
    },
    protocol: {
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        protocolHandlers.set(scheme, handler);
      },
    },
  });

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    visible = false;
    destroyed = false;
    loadedUrl: string | null = null;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- BrowserWindow options
    constructor(readonly options: Record<string, any>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
    static getAllWindows() {
      return windows;
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return this.destroyed;
    }
    /** What the overlay glue set on the window (always-on-top level, click-through, bounds…), in order. */
    readonly settings: Array<[string, ...unknown[]]> = [];
    setAlwaysOnTop(...args: unknown[]) {
      this.settings.push(['setAlwaysOnTop', ...args]);
    }
    setIgnoreMouseEvents(...args: unknown[]) {
      this.settings.push(['setIgnoreMouseEvents', ...args]);
    }
    setVisibleOnAllWorkspaces(...args: unknown[]) {
      this.settings.push(['setVisibleOnAllWorkspaces', ...args]);
    }
    setContentProtection(...args: unknown[]) {
      this.settings.push(['setContentProtection', ...args]);
    }
    setBounds(...args: unknown[]) {
      this.settings.push(['setBounds', ...args]);
    }
    showInactive() {
      this.visible = true;
    }
    destroy() {
      this.destroyed = true;
      this.webContents.destroyed = true;
    }
    /** Electron emits close, and closes unless a listener prevented it. */
    close() {
      const event = fakeEvent();
      this.emit('close', event);
      if (!event.defaultPrevented) {
        this.destroyed = true;
        this.webContents.destroyed = true;
      }
    }
  }

  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    image: { path: string };
    tooltip = '';
    menu: { items: Array<Record<string, any>> } | null = null; // eslint-disable-line @typescript-eslint/no-explicit-any -- menu templates
    destroyed = false;
    constructor(image: { path: string }) {
      super();
      this.image = image;
      trays.push(this);
    }
    setImage(image: { path: string }) {
      this.image = image;
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: { items: Array<Record<string, unknown>> }) {
      this.menu = menu;
    }
    destroy() {
      this.destroyed = true;
    }
    /** Clicks the menu item with this label. */
    click(label: string) {
      const item = this.menu?.items.find((i) => i.label === label);
      if (!item)
        throw new Error(`no tray menu item "${label}" in ${JSON.stringify(this.menu?.items.map((i) => i.label))}`);
      (item.click as () => void)();
    }
  }

  const notifications: FakeNotification[] = [];
  class FakeNotification extends EventEmitter {
    shown = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
      notifications.push(this);
    }
    static isSupported() {
      return true;
    }
    show() {
      this.shown = true;
    }
  }

  const handlers = new Map<string, Listener>();
  const opened: string[] = [];
  /** What desktopCapturer.getSources answers (tests fill it). */
  const capturerSources: Array<{ id: string; name: string; display_id: string; thumbnail: unknown }> = [];
  /** The displays `screen` reports (the first is the primary); tests may add more. */
  const displays = [
    { id: 1, size: { width: 800, height: 600 }, bounds: { x: 0, y: 0, width: 800, height: 600 }, scaleFactor: 1 },
  ];
  const exposed = new Map<string, unknown>();
  const rendererListeners = new Map<string, Set<Listener>>();
  const invoked: Array<[string, unknown]> = [];

  const module = {
    app,
    session: { defaultSession: session },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) =>
        calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
    },
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: {
      setApplicationMenu: () => calls.push('setApplicationMenu'),
      buildFromTemplate: (items: Array<Record<string, unknown>>) => ({ items }),
    },
    nativeImage: { createFromPath: (path: string) => ({ path, setTemplateImage: () => {} }) },
    ipcMain: {
      handle: (channel: string, handler: Listener) => {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, handler);
      },
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
    },
    screen: {
      getPrimaryDisplay: () => displays[0]!,
      getAllDisplays: () => displays,
    },
    desktopCapturer: { getSources: async () => capturerSources },
    // No snapshot process in the fake: a collection fails, as it would if the process could not start.
    utilityProcess: {
      fork: () => {
        throw new Error('no utility processes in the fake electron');
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown) => {
        invoked.push([channel, arg]);
        return { ok: true, value: { echoed: channel } };
      },
      on: (channel: string, listener: Listener) => {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
        rendererListeners.get(channel)!.add(listener);
      },
      removeListener: (channel: string, listener: Listener) => rendererListeners.get(channel)?.delete(listener),
    },
  };

  return {
    module,
    calls,
    ready: () => ready(),
    session,
    protocolHandlers,
    windows,
    trays,
    notifications,
    handlers,
    opened,
    exposed,
    rendererListeners,
    invoked,
    capturerSources,
    displays,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The one fake per test file: vi.mock('electron', …) returns its module, the test inspects it. */
export const fakeElectron = createFakeElectron();
