import type { FastifyServerOptions } from 'fastify';
import { buildApp } from './app';
import { ensureFirstAdmin } from './auth/staff.service';
import { databaseUrlOf, type ServerConfig } from './config';
import type { ServerContext } from './context';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { startFleetIndexJob } from './fleet/fleet-index.service';
import { startCommandExpiryJob } from './actions/command-expiry.job';
import { startMaintenanceJob } from './maintenance.job';
import { startNetmonJob } from './netmon/netmon-rollup.job';
import { startAlertsJob } from './netmon/alerts/alerts.job';
import { startServerChecksJob } from './netmon/server-checks.service';
import { startSlaJob } from './sla/sla.job';
import { startMailInJob } from './mail/inbound/mail-in.job';
import { startMailJob } from './mail/mail.job';
import { startTicketNetworkJob } from './netmon/ticket-network.job';
import { startWebhookJob } from './webhooks/webhooks.job';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Logger options: pretty on a terminal, JSON lines otherwise (for log shippers). */
export function loggerOptions(
  level: ServerConfig['logLevel'],
  tty = Boolean(process.stdout.isTTY),
): FastifyServerOptions['logger'] {
  return tty
    ? { level, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
    : { level };
}

/** Runs the demo seed (loaded only with --demo) and says what it did. */
async function seedDemoData(ctx: ServerContext): Promise<string> {
  const { seedDemo } = await import('./demo/demo-seed');
  const made = await seedDemo(ctx);
  const parts = Object.entries(made)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${n === 1 ? what.replace(/s$/, '') : what}`);
  const line =
    parts.length > 0
      ? `Demo data (--demo, never in production): seeded ${parts.join(', ')}`
      : 'Demo data (--demo, never in production): already seeded, nothing added';
  ctx.log.info({ demo: made }, 'demo data seeded (--demo)');
  return line;
}

/**
 * Starts the help desk: opens the database, migrates, makes sure an admin exists, listens, and
 * runs the SLA timers. SIGINT/SIGTERM close it gracefully (in-flight requests finish first).
 */
export async function startServer(
  config: ServerConfig,
  options: { version: string; print: (line: string) => void; slaJob?: boolean },
): Promise<RunningServer> {
  const db = openDatabase({ url: databaseUrlOf(config), backgroundCheckpoints: true });
  await migrateToLatest(db);
  const { app, ctx } = await buildApp({ db, config, logger: loggerOptions(config.logLevel), version: options.version });
  db.onConnectionLost((error) => ctx.log.warn({ err: error }, 'database: lost a connection or thread and recovered'));
  const admin = await ensureFirstAdmin(db, Date.now(), { email: config.adminEmail, password: config.adminPassword });
  if (admin?.password) {
    options.print(`First start: created administrator ${admin.email} with one-time password ${admin.password}`);
    options.print('Sign in and change it; it is not shown again.');
  } else if (admin) {
    options.print(`First start: created administrator ${admin.email} (password from DESKSIDE_ADMIN_PASSWORD)`);
  }
  // Seeded before listening, so the first page already shows it; in a cluster, by the timers' worker only.
  if (config.demo && options.slaJob !== false) options.print(await seedDemoData(ctx));
  const url = await app.listen({ host: config.host, port: config.port });
  // In a cluster only one worker runs the timers (running more would be safe, just wasted work).
  const stopSla = options.slaJob === false ? async () => {} : startSlaJob(ctx);
  const stopMaintenance = options.slaJob === false ? async () => {} : startMaintenanceJob(ctx);
  // The fleet index catches up with new snapshots (and, after an upgrade, with the ones from before it).
  const stopFleetIndex = options.slaJob === false ? async () => {} : startFleetIndexJob(ctx);
  // Commands nobody took before their expiry are marked expired (and the consoles told).
  const stopCommandExpiry = options.slaJob === false ? async () => {} : startCommandExpiryJob(ctx);
  // Network monitoring: rollups, retention and the fleet grid; the server's own service checks.
  const stopNetmon = options.slaJob === false ? async () => {} : startNetmonJob(ctx);
  const stopChecks = options.slaJob === false ? async () => {} : startServerChecksJob(ctx);
  // Network alert rules: pending, firing (incident ticket, announcement, webhook), resolved.
  const stopAlerts = options.slaJob === false ? async () => {} : startAlertsJob(ctx);
  // The device's last 24 hours of network, kept with each new ticket (a ticket feed consumer).
  const stopTicketNetwork = options.slaJob === false ? async () => {} : startTicketNetworkJob(ctx);
  // Email out: notifications from the ticket feed, the outbox with its retries.
  const stopMail = options.slaJob === false ? async () => {} : startMailJob(ctx);
  // Email in: the help-desk mailbox (IMAP) or Deskside's own SMTP listener, as IT set it.
  const stopMailIn = options.slaJob === false ? async () => {} : startMailInJob(ctx);
  // Webhooks: ticket history into deliveries, and the durable deliveries out (retries with backoff).
  const stopWebhooks = options.slaJob === false ? async () => {} : startWebhookJob(ctx);
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await stopMaintenance();
      await stopFleetIndex();
      await stopCommandExpiry();
      await stopNetmon();
      await stopChecks();
      await stopAlerts();
      await stopTicketNetwork();
      await stopMail();
      await stopMailIn();
      await stopWebhooks();
      await stopSla();
      await app.close();
      await db.destroy();
    })());
  return { url, close };
}
