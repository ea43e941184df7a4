import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { randomToken } from '../server/auth/crypto';
import { createStaff } from '../server/auth/staff.service';
import { audit } from '../server/audit/audit.service';
import { startCluster } from '../server/cluster';
import { databaseUrlOf, loadServerConfig, type ServerConfig } from '../server/config';
import { openDatabase, type Db } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createEnrollSecret, listEnrollSecrets, revokeEnrollSecret } from '../server/devices/enroll-secrets.service';
import { startServer } from '../server/main';
import type { z } from 'zod';
import { createStaffRequestSchema } from '../shared/api/auth';
import { createEnrollSecretRequestSchema } from '../shared/api/inventory';
import { table } from './format/style';
import { UsageError } from './io';
import type { CommandContext } from './program';
import type { ServerFlags } from './server.command';

/* What the `server` commands do; loaded (with the server) when one of them runs. */

function config(flags: ServerFlags): ServerConfig {
  const loaded = loadServerConfig({
    host: flags.host,
    port: flags.port,
    dataDir: flags.dataDir,
    databaseUrl: flags.databaseUrl,
    bodyLimitBytes: flags.bodyLimit,
    snapshotLimitBytes: flags.snapshotLimit,
    tlsCert: flags.tlsCert,
    tlsKey: flags.tlsKey,
    logLevel: flags.logLevel,
    trustProxy: flags.trustProxy,
    demo: flags.demo,
  });
  if (!loaded.ok) throw new UsageError(loaded.message);
  return loaded.value;
}

async function withDatabase<T>(flags: ServerFlags, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase({ url: databaseUrlOf(config(flags)) });
  try {
    await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === 'auto') return availableParallelism();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64)
    throw new UsageError(`--workers must be a number from 1 to 64, or auto: ${value}`);
  return Number(value);
}

/** `deskside server`: listens until SIGINT or SIGTERM. */
export async function runServer({ io, deps }: CommandContext, flags: ServerFlags & { workers?: string }) {
  const workers = parseWorkers(flags.workers);
  const print = (line: string) => io.out(`${line}\n`);
  const options = { version: deps.version, print };
  const running =
    workers > 1 ? await startCluster(config(flags), workers, options) : await startServer(config(flags), options);
  if (cluster.isPrimary)
    io.out(
      `Deskside server listening on ${running.url}${workers > 1 ? ` with ${workers} workers` : ''} — console and API; Ctrl+C stops it\n`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void running.close().then(resolve);
      // A close that does not finish must not hold a restart: seen in the channel bench with agents
      // connected (cause not found yet, see the README's performance section).
      setTimeout(() => {
        io.err(`deskside: the server did not finish closing within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting\n`);
        resolve();
      }, SHUTDOWN_DEADLINE_MS).unref();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** How long `deskside server` waits for its close after SIGINT or SIGTERM before it exits anyway. */
const SHUTDOWN_DEADLINE_MS = 20_000;

/**
 * Flags checked by an API request schema, so the command line accepts exactly what the HTTP API
 * accepts; the first problem becomes a usage error naming its flag.
 */
function validFlags<S extends z.ZodType>(schema: S, values: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`--${String(issue?.path[0] ?? 'input')}: ${issue?.message ?? 'invalid'}`);
}

/** `deskside server create-admin`. */
export async function createAdmin(
  { io }: CommandContext,
  flags: ServerFlags & { email: string; name: string; password?: string },
): Promise<void> {
  const generated = flags.password === undefined;
  // The same rules as an administrator created in the console (the API's own schema).
  const input = validFlags(createStaffRequestSchema, {
    email: flags.email,
    name: flags.name,
    role: 'admin',
    password: flags.password ?? randomToken(12),
    group: null,
  });
  const password = input.password;
  await withDatabase(flags, async (db) => {
    const id = await createStaff(db, input, Date.now()).catch((error: { code?: string; message: string }) => {
      throw error.code === 'email_taken' ? new UsageError(error.message) : error;
    });
    await audit(
      { db, now: Date.now },
      {
        actorType: 'cli',
        actorId: null,
        action: 'staff.create',
        targetType: 'staff',
        targetId: id,
        details: { email: input.email, role: 'admin' },
      },
    );
  });
  io.out(`Created administrator ${input.email}${generated ? ` with password ${password}` : ''}\n`);
}

/** `deskside server enroll-secret create`. */
export async function createSecret({ io }: CommandContext, flags: ServerFlags & { name: string }): Promise<void> {
  const { name } = validFlags(createEnrollSecretRequestSchema, { name: flags.name });
  const created = await withDatabase(flags, (db) => createEnrollSecret(db, name, Date.now()));
  io.out(
    `Enrollment secret #${created.id} (${name}):\n${created.secret}\nDeploy it with the agent; it is not shown again.\n`,
  );
}

/** `deskside server enroll-secret list`. */
export async function listSecrets({ io }: CommandContext, flags: ServerFlags): Promise<void> {
  const list = await withDatabase(flags, (db) => listEnrollSecrets(db));
  if (list.length === 0)
    return io.out('No enrollment secrets yet; create one with `deskside server enroll-secret create --name …`\n');
  io.out(
    `${table([['ID', 'NAME', 'CREATED', 'USES', 'STATE'], ...list.map((s) => [String(s.id), s.name, s.createdAt, String(s.uses), s.revokedAt ? `revoked ${s.revokedAt}` : 'active'])])}\n`,
  );
}

/** `deskside server enroll-secret revoke <id>`. */
export async function revokeSecret({ io }: CommandContext, id: string, flags: ServerFlags): Promise<void> {
  if (!/^\d+$/.test(id)) throw new UsageError(`not a secret id: ${id}`);
  const found = await withDatabase(flags, (db) => revokeEnrollSecret(db, Number(id), Date.now()));
  if (!found) throw new UsageError(`no enrollment secret #${id}`);
  io.out(`Revoked enrollment secret #${id}\n`);
}
