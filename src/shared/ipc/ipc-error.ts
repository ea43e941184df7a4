/* Zod-free, so services that report failures do not load the IPC contract (dispatch.ts re-exports it). */

/** A failure a handler reports on purpose; its code and message reach the window as they are. */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}
