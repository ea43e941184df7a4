import type { Command } from 'commander';
import { randomToken } from '../server/auth/crypto';
import { createStaff } from '../server/auth/staff.service';
import { audit } from '../server/audit/audit';
import { databaseUrlOf, loadServerConfig, type ServerConfig } from '../server/config';
import { openDatabase, type Db } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createEnrollSecret, listEnrollSecrets, revokeEnrollSecret } from '../server/devices/enroll-secrets';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { startCluster } from '../server/cluster';
import { startServer } from '../server/main';
import { table } from './format/style';
import { UsageError, type CliIo } from './io';

interface ServerFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
  bodyLimit?: string;
  snapshotLimit?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel?: string;
  demo?: boolean;
}

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

const dbOptions = (command: Command) =>
  command
    .option('--data-dir <dir>', 'data folder for the embedded SQLite database (DESKSIDE_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead (DATABASE_URL)');

/** `deskside server …`: run the help desk and administer it from the command line. */
export function registerServerCommands(program: Command, io: CliIo, version: string): void {
  // Options after a subcommand belong to it (`server enroll-secret list --data-dir x`); options given
  // before it (`server --data-dir x enroll-secret list`) reach it through optsWithGlobals().
  program.enablePositionalOptions();
  const server = dbOptions(
    program
      .command('server')
      .enablePositionalOptions()
      .description('run the help-desk server (SQLite in the data folder, or PostgreSQL)')
      .option('--host <host>', 'address to listen on (DESKSIDE_HOST)', undefined)
      .option('--port <port>', 'port to listen on (DESKSIDE_PORT, default 8080)')
      .option('--body-limit <bytes>', 'largest request body after gzip decoding (DESKSIDE_BODY_LIMIT)')
      .option('--snapshot-limit <bytes>', 'largest snapshot accepted (DESKSIDE_SNAPSHOT_LIMIT)')
      .option('--tls-cert <file>', 'TLS certificate, PEM (DESKSIDE_TLS_CERT)')
      .option('--tls-key <file>', 'TLS private key, PEM (DESKSIDE_TLS_KEY)')
      .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
      .option('--workers <n>', 'server processes sharing the port: a number or "auto" (one per core); default 1')
      .option('--demo', 'seed a demo help desk at start (what npm start uses; never in production)'),
  ).action(async (flags: ServerFlags & { workers?: string }) => {
    const workers = parseWorkers(flags.workers);
    const print = (line: string) => io.out(`${line}\n`);
    const running =
      workers > 1
        ? await startCluster(config(flags), workers, { version, print })
        : await startServer(config(flags), { version, print });
    if (cluster.isPrimary)
      io.out(
        `Deskside server listening on ${running.url}${workers > 1 ? ` with ${workers} workers` : ''} — console and API; Ctrl+C stops it\n`,
      );
    await new Promise<void>((resolve) => {
      const stop = () => void running.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });

  dbOptions(
    server
      .command('create-admin')
      .description('create an administrator account')
      .requiredOption('--email <email>', 'sign-in email')
      .option('--name <name>', 'display name', 'Administrator')
      .option('--password <password>', 'password (at least 12 characters); generated and printed when absent'),
  ).action(async (_flags: unknown, command: Command) => {
    const flags = command.optsWithGlobals<ServerFlags & { email: string; name: string; password?: string }>();
    if (flags.password !== undefined && flags.password.length < 12)
      throw new UsageError('--password must be at least 12 characters');
    const password = flags.password ?? randomToken(12);
    await withDatabase(flags, async (db) => {
      const id = await createStaff(
        db,
        { email: flags.email, name: flags.name, role: 'admin', password, group: null },
        Date.now(),
      ).catch((error: { code?: string; message: string }) => {
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
          details: { email: flags.email, role: 'admin' },
        },
      );
    });
    io.out(`Created administrator ${flags.email}${flags.password ? '' : ` with password ${password}`}\n`);
  });

  const secrets = server.command('enroll-secret').description('manage the secrets devices enroll with');
  dbOptions(
    secrets
      .command('create')
      .description('create a secret (printed once)')
      .requiredOption('--name <name>', 'what it is for, e.g. "laptops 2026"'),
  ).action(async (_flags: unknown, command: Command) => {
    const flags = command.optsWithGlobals<ServerFlags & { name: string }>();
    const created = await withDatabase(flags, (db) => createEnrollSecret(db, flags.name, Date.now()));
    io.out(
      `Enrollment secret #${created.id} (${flags.name}):\n${created.secret}\nDeploy it with the agent; it is not shown again.\n`,
    );
  });
  dbOptions(secrets.command('list').description('list secrets (never the secrets themselves)')).action(
    async (_flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<ServerFlags>();
      const list = await withDatabase(flags, (db) => listEnrollSecrets(db));
      if (list.length === 0)
        return io.out('No enrollment secrets yet; create one with `deskside server enroll-secret create --name …`\n');
      io.out(
        `${table([['ID', 'NAME', 'CREATED', 'USES', 'STATE'], ...list.map((s) => [String(s.id), s.name, s.createdAt, String(s.uses), s.revokedAt ? `revoked ${s.revokedAt}` : 'active'])])}\n`,
      );
    },
  );
  dbOptions(
    secrets
      .command('revoke')
      .description('revoke a secret; enrolled devices keep working')
      .argument('<id>', 'secret id from `list`'),
  ).action(async (id: string, _flags: unknown, command: Command) => {
    const flags = command.optsWithGlobals<ServerFlags>();
    if (!/^\d+$/.test(id)) throw new UsageError(`not a secret id: ${id}`);
    const found = await withDatabase(flags, (db) => revokeEnrollSecret(db, Number(id), Date.now()));
    if (!found) throw new UsageError(`no enrollment secret #${id}`);
    io.out(`Revoked enrollment secret #${id}\n`);
  });
}
