/**
 * Gives the event loop back to whatever waits (requests) before going on. A background pass over SQLite
 * needs it: better-sqlite3 answers every statement synchronously, so the pass's awaits resolve at once
 * and it would otherwise hold the server's requests from its start to its end.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
