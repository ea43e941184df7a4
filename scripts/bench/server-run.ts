import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { createEnrollSecret } from '../../src/server/devices/enroll-secrets.service';
import { freePort, waitUntilHealthy } from '../../test/helpers/server-process';

/* Starting a benchmark server process on a fresh database. */

/** The server entry to run (e.g. another build, to compare two versions under the same load). */
const ENTRY = process.env.BENCH_SERVER_ENTRY ?? 'bin/deskside.js';
export const ADMIN = { email: 'bench@example.com', password: 'benchmark-password-123' };

/** Starts `bin/deskside.js server` (or BENCH_SERVER_ENTRY) with `workers` processes and waits until it is healthy. */
export async function startServer(
  databaseUrl: string,
  dataDir: string,
  workers: string,
  /** A given port (a restart that agents reconnect to); a free one otherwise. */
  fixedPort?: number,
): Promise<{ url: string; child: ChildProcess }> {
  const port = fixedPort ?? (await freePort());
  // BENCH_NODE_ARGS (e.g. --cpu-prof) profiles the server side.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      ENTRY,
      'server',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      '--database-url',
      databaseUrl,
      '--workers',
      workers,
    ],
    {
      env: { ...process.env, DESKSIDE_ADMIN_EMAIL: ADMIN.email, DESKSIDE_ADMIN_PASSWORD: ADMIN.password },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    // A busy shared machine can take well over 10 s to start the workers.
    await waitUntilHealthy(url, 60_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  return { url, child };
}

/** fetch, with the JSON body parsed (null when it is not JSON). */
export async function json(
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

/** A fresh database (SQLite file in `dataDir`, or the PostgreSQL database recreated) with an enroll secret. */
export async function freshDatabase(
  databaseUrl: string,
  dataDir: string,
): Promise<{ serverDb: string; openUrl: string; secret: string }> {
  const openUrl = databaseUrl.startsWith('postgres') ? databaseUrl : join(dataDir, 'deskside.db');
  const db = openDatabase({ url: openUrl });
  await migrateToLatest(db);
  const { secret } = await createEnrollSecret(db, 'bench', Date.now());
  await db.destroy();
  return { serverDb: databaseUrl.startsWith('postgres') ? databaseUrl : `sqlite:${openUrl}`, openUrl, secret };
}

/** Stops a server started by startServer and waits (at most 10 s) for it to go, so the next run does not share the cores with its shutdown. */
export async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(null);
    const timer = setTimeout(resolve, 10_000);
    child.once('exit', () => resolve(clearTimeout(timer)));
  });
}
