import type {
  DesksideBridge,
  IpcArg,
  IpcChannel,
  IpcEvent,
  IpcEventPayload,
  IpcResponse,
} from '../../shared/ipc/contract';

/*
 * The window's only way out: `window.deskside`, put there by the preload (Electron) or by the test
 * transport (browser tests). Every call answers with a Result value; nothing here throws across it.
 */

declare global {
  interface Window {
    /** The typed IPC API exposed by the preload. */
    deskside?: DesksideBridge;
  }
}

const MISSING: IpcResponse<never> = {
  ok: false,
  error: { code: 'no_bridge', message: 'Deskside is not connected to its background service. Restart the app.' },
};

/** Calls a main-process channel; a missing bridge or a transport failure comes back as an error value. */
export async function invoke<C extends IpcChannel>(channel: C, arg: IpcArg<C>): Promise<IpcResponse<C>> {
  const bridge = window.deskside;
  if (!bridge) return MISSING as IpcResponse<C>;
  try {
    return await bridge.invoke(channel, arg);
  } catch {
    return {
      ok: false,
      error: { code: 'transport', message: 'Deskside could not reach its background service. Try again.' },
    };
  }
}

/** Subscribes to an event from main; returns the unsubscribe function (a no-op without a bridge). */
export function subscribe<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
  return window.deskside?.on(event, listener) ?? (() => {});
}
