import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from './config';
import type { Db } from './db/database';
import type { Metrics } from './http/metrics';
import type { EventBus } from './events/event-bus';

/** Everything route modules share: the database, configuration, the clock and the event bus. */
export interface ServerContext {
  db: Db;
  config: ServerConfig;
  now: () => number;
  /** Events to every server process (the live channel and the long polls hear them). */
  bus: EventBus;
  log: FastifyBaseLogger;
  metrics: Metrics;
}
