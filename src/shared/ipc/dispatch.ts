import { IpcError } from './ipc-error';
import { ipcChannels, isIpcChannel, type IpcChannel, type IpcHandlers, type IpcResponse } from './contract';

export { IpcError } from './ipc-error';

/**
 * The single entry for every transport (Electron's ipcMain, the browser-test HTTP bridge): checks
 * the channel, validates the argument against the contract, runs the handler and turns any failure
 * into a Result. Unexpected errors are reported as `internal` with a generic message; `onUnexpected`
 * receives the real error for the log.
 */
export async function dispatchIpc(
  handlers: IpcHandlers,
  channel: unknown,
  rawArg: unknown,
  onUnexpected: (error: unknown, channel: IpcChannel) => void = () => {},
): Promise<IpcResponse<IpcChannel>> {
  if (!isIpcChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: 'Unknown request.' } };
  const parsed = ipcChannels[channel].arg.safeParse(rawArg ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return {
      ok: false,
      error: { code: 'invalid_argument', message: `${where}${issue?.message ?? 'invalid request'}` },
    };
  }
  try {
    const handler = handlers[channel] as (arg: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value } as IpcResponse<IpcChannel>;
  } catch (error) {
    if (error instanceof IpcError) return { ok: false, error: { code: error.code, message: error.message } };
    onUnexpected(error, channel);
    return {
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside Deskside. The details are in the log.' },
    };
  }
}
