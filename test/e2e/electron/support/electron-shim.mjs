// A minimal `electron` for running the built main process (dist/main/main.js) in plain Node, with
// the real agent core and the real electron-store. It records what the shell does, drives one round
// (ready → IPC calls → app:// request → tray Quit) and prints a report line starting with SMOKE.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';

const report = { calls: [], schemes: null, handlers: [], windows: [], tray: null, ipc: {}, protocol: null, quit: [] };
let readyResolve;
const ready = new Promise((resolve) => (readyResolve = resolve));
const event = () => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});
const paths = {};

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  dock: undefined,
  setName: (name) => report.calls.push(`setName ${name}`),
  setPath: (name, value) => {
    paths[name] = value;
  },
  getPath: (name) => paths[name] ?? `${paths.userData}/${name}`,
  getVersion: () => '0.0.0-smoke',
  requestSingleInstanceLock: () => true,
  setAppUserModelId: (id) => report.calls.push(`setAppUserModelId ${id}`),
  setLoginItemSettings: () => {},
  whenReady: () => ready,
  exit: (code) => process.exit(code),
  quit: () => {
    report.quit.push('quit');
    app.emit('before-quit', event());
    const e = event();
    app.emit('will-quit', e);
    if (!e.defaultPrevented) {
      report.quit.push('done');
      process.stdout.write(`SMOKE-QUIT ${JSON.stringify(report.quit)}\n`);
      process.exit(0);
    }
  },
});

const protocolHandlers = new Map();
const session = Object.assign(new EventEmitter(), {
  setPermissionRequestHandler() {},
  setPermissionCheckHandler() {},
  setDevicePermissionHandler() {},
  setDisplayMediaRequestHandler() {},
  webRequest: { onHeadersReceived() {} },
  protocol: { handle: (scheme, handler) => protocolHandlers.set(scheme, handler) },
});

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  mainFrame = { url: '', parent: null, processId: 1, routingId: this.id };
  send() {}
  isDestroyed() {
    return false;
  }
  setWindowOpenHandler() {}
}
const windows = [];
export class BrowserWindow extends EventEmitter {
  webContents = new WebContents();
  constructor(options) {
    super();
    this.options = options;
    windows.push(this);
    app.emit('web-contents-created', event(), this.webContents);
  }
  static getAllWindows() {
    return windows;
  }
  loadURL(url) {
    this.url = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show() {}
  hide() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isVisible() {
    return false;
  }
  isDestroyed() {
    return false;
  }
}
const trays = [];
export class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image;
    trays.push(this);
  }
  setImage(image) {
    this.image = image;
  }
  setToolTip(text) {
    this.tooltip = text;
  }
  setContextMenu(menu) {
    this.menu = menu;
  }
  destroy() {
    this.destroyed = true;
  }
}
export class Notification extends EventEmitter {
  static isSupported() {
    return false;
  }
}
export const Menu = { setApplicationMenu() {}, buildFromTemplate: (items) => ({ items }) };
export const nativeImage = { createFromPath: (path) => ({ path, setTemplateImage() {} }) };
const handlers = new Map();
export const ipcMain = Object.assign(new EventEmitter(), {
  handle: (channel, handler) => handlers.set(channel, handler),
  removeHandler: (channel) => handlers.delete(channel),
});
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => {
    report.schemes = schemes;
  },
};
export const shell = { openExternal: async () => {} };
const primaryDisplay = {
  id: 1,
  size: { width: 800, height: 600 },
  bounds: { x: 0, y: 0, width: 800, height: 600 },
  scaleFactor: 1,
};
export const screen = { getPrimaryDisplay: () => primaryDisplay, getAllDisplays: () => [primaryDisplay] };
export const desktopCapturer = { getSources: async () => [] };
// Electron's utility process, played by a forked Node child (the worker speaks process.send there).
export const utilityProcess = {
  fork(modulePath, args = []) {
    const child = fork(modulePath, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const proc = Object.assign(new EventEmitter(), {
      postMessage: (message) => child.send(message),
      kill: () => child.kill(),
    });
    child.on('message', (message) => proc.emit('message', message));
    child.on('exit', (code) => proc.emit('exit', code));
    return proc;
  },
};
export const contextBridge = {};
export const ipcRenderer = {};
const sessionModule = { defaultSession: session };
export { sessionModule as session };

export default {
  app,
  BrowserWindow,
  Tray,
  Notification,
  Menu,
  nativeImage,
  ipcMain,
  protocol,
  shell,
  screen,
  desktopCapturer,
  utilityProcess,
  session: sessionModule,
  contextBridge,
  ipcRenderer,
};

// The round: ready on the next tick, then look at what the shell built, then Quit from the tray.
setImmediate(() => readyResolve());
setTimeout(
  async () => {
    try {
      const window = windows[0];
      const trusted = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
      for (const channel of ['app:info', 'agent:state']) report.ipc[channel] = await handlers.get(channel)(trusted, {});
      report.ipc.untrusted = await handlers.get('app:info')(
        { sender: window.webContents, senderFrame: { ...window.webContents.mainFrame, url: 'https://evil.example/' } },
        {},
      );
      const response = await protocolHandlers.get('app')(new Request('app://deskside/index.html'));
      report.protocol = {
        status: response.status,
        type: response.headers.get('content-type'),
        csp: response.headers.get('content-security-policy'),
        body: (await response.text()).slice(0, 200),
      };
      report.handlers = [...handlers.keys()];
      report.windows = windows.map((w) => ({
        url: w.url,
        width: w.options.width,
        height: w.options.height,
        webPreferences: w.options.webPreferences,
      }));
      report.tray = {
        tooltip: trays[0]?.tooltip,
        image: trays[0]?.image.path,
        menu: trays[0]?.menu.items.map((i) => i.label ?? '—'),
      };
      process.stdout.write(`SMOKE ${JSON.stringify(report)}\n`);
      trays[0].menu.items.find((i) => i.id === 'quit').click();
    } catch (error) {
      process.stdout.write(`SMOKE-ERROR ${error?.stack ?? error}\n`);
      process.exit(3);
    }
  },
  Number(process.env.SMOKE_DELAY_MS ?? 1500),
);
