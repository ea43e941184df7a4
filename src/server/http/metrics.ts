import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Per-app Prometheus registry (not the global one, so several apps can live in one test process). */
export interface Metrics {
  registry: Registry;
  ticketsCreated: Counter;
  messagesPosted: Counter<'author'>;
  /** Agents' long polls parked in this process, waiting for a reply. */
  longPollsWaiting: Gauge;
  /** Live channel sockets open in this process. */
  channelConnections: Gauge;
  /** Channel upgrades refused by admission control (503, try again later). */
  channelRefused: Counter;
}

/** Creates the registry with process metrics, request histogram and domain counters. */
export function createMetrics(app: FastifyInstance): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'deskside_' });
  const duration = new Histogram({
    name: 'deskside_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return {
    registry,
    ticketsCreated: new Counter({
      name: 'deskside_tickets_created_total',
      help: 'Tickets created',
      registers: [registry],
    }),
    messagesPosted: new Counter({
      name: 'deskside_messages_posted_total',
      help: 'Messages posted',
      labelNames: ['author'],
      registers: [registry],
    }),
    longPollsWaiting: new Gauge({
      name: 'deskside_long_polls_waiting',
      help: "Agents' long polls waiting in this process for a reply",
      registers: [registry],
    }),
    channelConnections: new Gauge({
      name: 'deskside_channel_connections',
      help: "Agents' live channel sockets open in this process",
      registers: [registry],
    }),
    channelRefused: new Counter({
      name: 'deskside_channel_refused_total',
      help: 'Live channel upgrades refused by admission control (503, try again later)',
      registers: [registry],
    }),
  };
}
