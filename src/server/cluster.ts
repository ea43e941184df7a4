import cluster from 'node:cluster';
import { ensureFirstAdmin } from './auth/staff.service';
import { databaseUrlOf, type ServerConfig } from './config';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { relayClusterEvents } from './events/cluster-events';
import { startServer, type RunningServer } from './main';

/**
 * Runs the server as `workers` processes sharing one port (node:cluster), so a multi-core machine uses
 * every core. Safe because all shared state lives in the database: sessions, login attempts,
 * idempotency keys, SLA transitions (conditional updates); events that must reach an agent connected
 * to another worker go through the database's notifications (PostgreSQL) or the primary (SQLite). The primary
 * migrates and creates the first admin once, then forks; a worker that dies is replaced.
 */
export async function startCluster(
  config: ServerConfig,
  workers: number,
  options: { version: string; print: (line: string) => void },
): Promise<RunningServer> {
  if (cluster.isWorker) {
    return startServer(config, { ...options, print: () => {}, slaJob: process.env.DESKSIDE_WORKER_INDEX === '0' });
  }
  const db = openDatabase({ url: databaseUrlOf(config) });
  try {
    await migrateToLatest(db);
    const admin = await ensureFirstAdmin(db, Date.now(), { email: config.adminEmail, password: config.adminPassword });
    if (admin?.password)
      options.print(`First start: created administrator ${admin.email} with one-time password ${admin.password}`);
  } finally {
    await db.destroy();
  }
  let stopping = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ DESKSIDE_WORKER_INDEX: String(index) });
    // SQLite has no notifications: workers' events (a reply for an agent connected to another worker) go
    // through here. On PostgreSQL the workers use LISTEN/NOTIFY and send nothing.
    relayClusterEvents(worker, () => Object.values(cluster.workers ?? {}));
    worker.on('exit', (code) => {
      if (stopping) return;
      options.print(`Worker ${index} exited (${code}); starting a new one`);
      fork(index);
    });
    return worker;
  };
  const started = Array.from({ length: workers }, (_, i) => fork(i));
  const url = await new Promise<string>((resolve) => {
    cluster.once('listening', (_worker, address) => {
      const host = address.address && address.address !== '::' ? address.address : config.host;
      resolve(`${config.tlsCert ? 'https' : 'http'}://${host}:${address.port}`);
    });
  });
  return {
    url,
    async close() {
      stopping = true;
      await Promise.all(
        Object.values(cluster.workers ?? {}).map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (!worker || worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
      void started;
    },
  };
}
