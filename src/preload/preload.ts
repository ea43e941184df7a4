import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DesksideBridge, IpcChannel, IpcResponse } from '../shared/ipc/contract';
import { isKnownChannel, isKnownEvent } from './channels';

/*
 * The whole preload: window.deskside (DesksideBridge) and nothing else. It runs sandboxed (bundled
 * to one CommonJS file), so it only forwards: invoke → ipcRenderer.invoke for the contract's channels,
 * on → ipcRenderer.on for its events, returning an unsubscribe. ipcRenderer itself, the event object
 * and the sender never reach the page. Main checks the sender and validates every argument again.
 */

const bridge: DesksideBridge = {
  invoke<C extends IpcChannel>(channel: C, arg: unknown): Promise<IpcResponse<C>> {
    if (!isKnownChannel(channel))
      return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: 'Unknown request.' } });
    return ipcRenderer.invoke(channel, arg) as Promise<IpcResponse<C>>;
  },
  on(event, listener) {
    if (!isKnownEvent(event) || typeof listener !== 'function') return () => {};
    const forward = (_event: IpcRendererEvent, payload: unknown) => (listener as (payload: unknown) => void)(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('deskside', Object.freeze(bridge));
