import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from './config';
import type { Db } from './db/database';
import type { Metrics } from './http/metrics';

/** Wakes long-polling agents in this process when a ticket gets a message; other processes poll. */
export class TicketBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** Announces new activity on a ticket. */
  notify(ticketId: number): void {
    this.emitter.emit(`t:${ticketId}`);
    this.emitter.emit('any', ticketId);
  }

  /** Resolves when the ticket has activity or the time runs out; returns whether it woke early. */
  wait(ticketIds: readonly number[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (woke: boolean) => {
        clearTimeout(timer);
        for (const id of ticketIds) this.emitter.off(`t:${id}`, wake);
        signal?.removeEventListener('abort', abort);
        resolve(woke);
      };
      const wake = () => done(true);
      const abort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      for (const id of ticketIds) this.emitter.on(`t:${id}`, wake);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}

/** Everything route modules share: the database, configuration, the clock and the event bus. */
export interface ServerContext {
  db: Db;
  config: ServerConfig;
  now: () => number;
  bus: TicketBus;
  log: FastifyBaseLogger;
  metrics: Metrics;
}
