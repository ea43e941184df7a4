import type { Worker } from 'node:cluster';
import { toServerEvent, type EventTransport, type ServerEvent } from './event-bus';

/*
 * Events across node:cluster workers (SQLite has no notifications): a worker sends each event to the
 * primary over the cluster's IPC channel, and the primary relays it to every live worker, the sender
 * included. The primary holds no state; a worker that restarts simply starts hearing again.
 */

/** The IPC envelope, so other cluster messages pass by. */
const KEY = 'desksideEvent';

/** The worker's side. */
export function clusterTransport(proc: NodeJS.Process = process): EventTransport {
  let listener: ((message: unknown) => void) | null = null;
  return {
    name: 'cluster',
    async start(deliver) {
      listener = (message) => {
        if (typeof message !== 'object' || message === null || !(KEY in message)) return;
        const event = toServerEvent((message as Record<string, unknown>)[KEY]);
        if (event) deliver(event);
      };
      proc.on('message', listener);
    },
    async send(event: ServerEvent) {
      if (!proc.send) throw new Error('cluster events: this process has no IPC channel to the primary');
      proc.send({ [KEY]: event });
    },
    async stop() {
      if (listener) proc.off('message', listener);
      listener = null;
    },
  };
}

/** The primary's side: relays every worker's events to all workers. */
export function relayClusterEvents(worker: Worker, workers: () => Iterable<Worker | undefined>): void {
  worker.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || !(KEY in message)) return;
    for (const w of workers()) if (w && w.isConnected()) w.send(message as object);
  });
}
