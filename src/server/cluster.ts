import cluster from 'node:cluster';
import { ensureFirstAdmin } from './auth/staff.service';
import { databaseUrlOf, type ServerConfig } from './config';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { relayClusterEvents } from './events/cluster-events';
import { startServer, type RunningServer } from './main';

/**
 * Node flags the worker processes get beyond the primary's own: semi-spaces (V8's young generation) of up to
 * 32 MB instead of 16. A submission parses an 80 KB snapshot into short-lived objects; with more room, fewer of
 * them outlive two scavenges into the old generation, whose marking then has less to do. Two servers side by
 * side under the same submission load, the one with the flag spent 3-8% less CPU per submission (four pairs,
 * either server started first). A flag given to the primary (`node --max-semi-space-size=… deskside server`) wins.
 */
export const WORKER_NODE_FLAGS = ['--max-semi-space-size=32'] as const;

/** The workers' execArgv: the primary's, plus each of WORKER_NODE_FLAGS that it does not set itself. */
export function workerExecArgv(primary: readonly string[]): string[] {
  const named = (flag: string) => flag.split('=')[0] as string;
  const given = new Set(primary.map(named));
  return [...primary, ...WORKER_NODE_FLAGS.filter((flag) => !given.has(named(flag)))];
}

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
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv) });
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
