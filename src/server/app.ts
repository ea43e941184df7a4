import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { commandRoutes } from './actions/commands.routes';
import { speedTestRoutes } from './devices/speed-test.routes';
import { localActionRoutes } from './actions/local-actions.routes';
import { itActionRoutes } from './actions/it-actions.routes';
import { netmonRoutes } from './netmon/netmon.routes';
import { netmonAlertRoutes } from './netmon/alerts/alerts.routes';
import { netmonHistoryRoutes } from './netmon/netmon-history.routes';
import { authRoutes } from './auth/auth.routes';
import { staffRoutes } from './auth/staff.routes';
import { announcementRoutes } from './articles/announcements.routes';
import { articleRoutes } from './articles/articles.routes';
import { auditRoutes } from './audit/audit.routes';
import type { ServerConfig } from './config';
import { channelRoutes } from './channel/channel.routes';
import { liveRoutes } from './channel/live.routes';
import type { ChannelHub, ChannelHubOptions } from './channel/channel-hub';
import { consoleRoutes } from './console/console.routes';
import cluster from 'node:cluster';
import type { ServerContext } from './context';
import { clusterTransport } from './events/cluster-events';
import { EventBus, localTransport, type EventTransport } from './events/event-bus';
import { pgTransport } from './events/pg-events';
import type { Db } from './db/database';
import { deviceRoutes } from './devices/devices.routes';
import { enrollRoutes } from './devices/enroll.routes';
import { fleetRoutes } from './fleet/fleet.routes';
import { registerErrorHandling } from './http/errors.plugin';
import { registerGzipBodies } from './http/gzip.plugin';
import { closeSilentConnectionsAtShutdown } from './http/silent-connections';
import { registerSecurityHeaders } from './http/security-headers';
import { createMetrics, type Metrics } from './http/metrics';
import type { App } from './http/types';
import { anyStaffId } from './auth/staff.repo';
import { OPENAPI_PATH } from '../shared/api/endpoint-routes';
import { remoteRoutes } from './remote/remote-sessions.routes';
import type { RemoteRelay, RemoteRelayOptions } from './remote/remote-relay';
import { shareRoutes } from './remote/share-signaling.routes';
import { reportRoutes } from './reports/reports.routes';
import { settingsRoutes } from './settings/settings.routes';
import { slaRoutes } from './sla/sla.routes';
import { queueRoutes } from './tickets/queue.routes';
import { ticketRoutes } from './tickets/tickets.routes';
import { mailRoutes } from './mail/mail.routes';
import { mailboxRoutes } from './mail/mailbox.routes';
import { webhookRoutes } from './webhooks/webhooks.routes';
import { apiTokenRoutes } from './auth/api-tokens.routes';

export interface BuildAppOptions {
  db: Db;
  config: ServerConfig;
  now?: () => number;
  /** A logger, or Fastify logger options; tests pass `false`. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  version?: string;
  /** The built technician console to serve at `/` (default: dist/console beside the bundled server). */
  consoleDir?: string;
  /** How events cross processes (default: by the database and whether this is a cluster worker). */
  events?: EventTransport;
  /** The live channel's timings (tests shorten them). */
  channel?: ChannelHubOptions;
  /** Remote sessions' relay timings (tests shorten them). */
  remote?: RemoteRelayOptions;
}

/**
 * How this process hears other server processes' events: LISTEN/NOTIFY on PostgreSQL, the cluster's
 * primary for SQLite workers, nothing to cross in a single SQLite process.
 */
function eventTransportFor(db: Db, log: FastifyBaseLogger): EventTransport {
  if (db.dialect === 'postgres')
    return pgTransport(db, { onError: (error) => log.warn({ err: error }, 'event bus: PostgreSQL listener') });
  return cluster.isWorker ? clusterTransport() : localTransport();
}

/** Route modules by domain; each registers its own schemas. */
const MODULES = [
  authRoutes,
  staffRoutes,
  enrollRoutes,
  ticketRoutes,
  queueRoutes,
  deviceRoutes,
  fleetRoutes,
  slaRoutes,
  articleRoutes,
  announcementRoutes,
  reportRoutes,
  auditRoutes,
  settingsRoutes,
  commandRoutes,
  speedTestRoutes,
  localActionRoutes,
  itActionRoutes,
  netmonRoutes,
  netmonAlertRoutes,
  netmonHistoryRoutes,
  mailRoutes,
  mailboxRoutes,
  webhookRoutes,
  apiTokenRoutes,
];

/** A route as registered: the endpoint table's name where it has one. */
export interface RegisteredRoute {
  method: string;
  url: string;
  endpoint: string | null;
}

/** Builds the help-desk HTTP application without listening; the entry point decides where it listens. */
export async function buildApp(options: BuildAppOptions): Promise<{
  app: App;
  ctx: ServerContext;
  metrics: Metrics;
  routes: RegisteredRoute[];
  channel: ChannelHub;
  remote: RemoteRelay;
}> {
  const { config } = options;
  const loggerOption = options.logger ?? false;
  const isLoggerInstance = typeof loggerOption === 'object' && loggerOption !== null && 'child' in loggerOption;
  const app = Fastify({
    ...(isLoggerInstance
      ? { loggerInstance: loggerOption as FastifyBaseLogger }
      : { logger: loggerOption as FastifyServerOptions['logger'] }),
    bodyLimit: config.bodyLimitBytes,
    // Behind nginx (deploy/nginx): the client's address from X-Forwarded-For, from these proxies only.
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs * 2,
    return503OnClosing: true,
    // Every body is rebuilt by a zod object schema from known keys before use, so a "__proto__" key
    // can never reach an object's prototype; skipping secure-json-parse's regex scan of each (often
    // 60 KB) body saves a large share of a ticket submission's main-thread time.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Router-level failures (over-long parameters, malformed URLs) get the same error shape as the rest.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      const code =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'parameter_too_long'
          : error.code === 'FST_ERR_BAD_URL'
            ? 'bad_url'
            : 'bad_request';
      // The reply here is typed per route; this handler answers before any route is chosen.
      const plain = reply as unknown as { status(n: number): { send(body: unknown): unknown } };
      void plain.status(status).send({
        error: { code, message: status === 414 ? 'A path parameter is too long' : 'The request URL is malformed' },
      });
    },
    ...(config.tlsCert && config.tlsKey
      ? { https: { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } }
      : {}),
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, endpoint: route.config?.endpoint ?? null });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('auth', null);
  registerErrorHandling(app);
  registerGzipBodies(app, config.bodyLimitBytes);
  await app.register(cookie);
  await registerSecurityHeaders(app, { https: Boolean(config.tlsCert && config.tlsKey) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Deskside help desk API', version: options.version ?? '0.0.0' },
      components: {
        securitySchemes: {
          device: { type: 'http', scheme: 'bearer' },
          staff: { type: 'apiKey', in: 'cookie', name: 'deskside_session' },
          apiToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'dsk_…',
            description: 'A personal or service API token; each operation says which scope it needs.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  const metrics = createMetrics(app);
  const ctx: ServerContext = {
    db: options.db,
    config,
    now: options.now ?? Date.now,
    bus: new EventBus(options.events ?? eventTransportFor(options.db, app.log), (error) =>
      app.log.warn({ err: error }, 'event bus: an event could not be sent or read'),
    ),
    log: app.log,
    metrics,
  };
  await ctx.bus.start();
  app.addHook('onClose', async () => ctx.bus.stop());

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await anyStaffId(ctx.db.kysely);
      return { status: 'ok', database: ctx.db.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: ctx.db.dialect });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get(OPENAPI_PATH, { schema: { hide: true, response: { 200: z.unknown() } } }, async () => app.swagger());

  // First: the WebSocket plugin must see the upgrade before other routes' hooks.
  const channel = await channelRoutes(app, ctx, options.channel);
  await liveRoutes(app, ctx);
  for (const register of MODULES) await register(app, ctx);
  const remote = await remoteRoutes(app, ctx, options.remote);
  await shareRoutes(app, ctx, { maxDurationMs: options.remote?.maxDurationMs });
  await consoleRoutes(app, { dir: options.consoleDir });
  closeSilentConnectionsAtShutdown(app);
  await app.ready();
  return { app, ctx, metrics, routes, channel, remote };
}
