import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CHANNELS, type IpcChannel } from '../../shared/ipc/contract';
import { dispatchIpc } from '../../shared/ipc/dispatch';
import type { AgentCore, AgentLogger } from '../services/agent-platform';
import { isTrustedSender } from '../services/window-policy';

/*
 * The only user of ipcMain (ESLint forbids it elsewhere). Every channel of the contract is
 * registered with ipcMain.handle; a call is answered only when it comes from the main frame of the
 * agent window showing the app's own renderer (app://deskside/). The argument is validated and the
 * handler run by dispatchIpc, so errors reach the renderer as Result values, never as exceptions.
 */

/** What the IPC wiring needs: the core's handlers and events, the window it talks to, a logger. */
export interface IpcWiring {
  core: Pick<AgentCore, 'handlers' | 'onEvent'>;
  /** The agent window's WebContents (null before it exists or after it is destroyed). */
  contents: () => WebContents | null;
  logger: AgentLogger;
}

function fromAppWindow(event: IpcMainInvokeEvent, contents: WebContents | null): boolean {
  const frame = event.senderFrame;
  if (!contents || contents.isDestroyed() || event.sender.id !== contents.id || !frame) return false;
  // Compared by ids rather than object identity: the top frame of the window, in its current process.
  const main = contents.mainFrame;
  const isMainFrame = frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
  return isTrustedSender(frame.url, isMainFrame);
}

/** Registers every channel and forwards core events to the window; returns a function undoing both. */
export function registerIpc({ core, contents, logger }: IpcWiring): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, arg: unknown) => {
      if (!fromAppWindow(event, contents())) {
        logger.warn('ipc call from an untrusted frame refused', {
          channel,
          url: event.senderFrame?.url?.slice(0, 200) ?? null,
        });
        return { ok: false, error: { code: 'forbidden', message: 'This request is not allowed from here.' } };
      }
      return dispatchIpc(core.handlers, channel, arg, (error, failed: IpcChannel) =>
        logger.error('ipc handler failed', { channel: failed, error }),
      );
    });
  }
  const unsubscribe = core.onEvent((name, payload) => {
    const target = contents();
    if (target && !target.isDestroyed()) target.send(name, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}
