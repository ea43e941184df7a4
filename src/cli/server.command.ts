import type { Command } from 'commander';
import { STAFF_PASSWORD_MIN } from '../shared/admin-fields';
import type { CommandContext } from './program';

/** Flags of every `server` command that opens the database. */
export interface ServerFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
  bodyLimit?: string;
  snapshotLimit?: string;
  tlsCert?: string;
  trustProxy?: string;
  tlsKey?: string;
  logLevel?: string;
  demo?: boolean;
}

const dbOptions = (command: Command) =>
  command
    .option('--data-dir <dir>', 'data folder for the embedded SQLite database (DESKSIDE_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead (DATABASE_URL)');

const actions = () => import('./server.actions');

/** `deskside server …`: run the help desk and administer it from the command line. */
export function registerServerCommands(program: Command, ctx: CommandContext): void {
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
      .option(
        '--trust-proxy <addresses>',
        "reverse proxies whose X-Forwarded-For gives the client's address: addresses or CIDR ranges, or loopback (DESKSIDE_TRUST_PROXY)",
      )
      .option('--workers <n>', 'server processes sharing the port: a number or "auto" (one per core); default 1')
      .option('--demo', 'seed a demo help desk at start (what npm start uses; never in production)'),
  ).action(async (flags: ServerFlags & { workers?: string }) => (await actions()).runServer(ctx, flags));

  dbOptions(
    server
      .command('create-admin')
      .description('create an administrator account')
      .requiredOption('--email <email>', 'sign-in email')
      .option('--name <name>', 'display name', 'Administrator')
      .option(
        '--password <password>',
        `password (at least ${STAFF_PASSWORD_MIN} characters); generated and printed when absent`,
      ),
  ).action(async (_flags: unknown, command: Command) =>
    (await actions()).createAdmin(
      ctx,
      command.optsWithGlobals<ServerFlags & { email: string; name: string; password?: string }>(),
    ),
  );

  const secrets = server.command('enroll-secret').description('manage the secrets devices enroll with');
  dbOptions(
    secrets
      .command('create')
      .description('create a secret (printed once)')
      .requiredOption('--name <name>', 'what it is for, e.g. "laptops 2026"'),
  ).action(async (_flags: unknown, command: Command) =>
    (await actions()).createSecret(ctx, command.optsWithGlobals<ServerFlags & { name: string }>()),
  );
  dbOptions(secrets.command('list').description('list secrets (never the secrets themselves)')).action(
    async (_flags: unknown, command: Command) =>
      (await actions()).listSecrets(ctx, command.optsWithGlobals<ServerFlags>()),
  );
  dbOptions(
    secrets
      .command('revoke')
      .description('revoke a secret; enrolled devices keep working')
      .argument('<id>', 'secret id from `list`'),
  ).action(async (id: string, _flags: unknown, command: Command) =>
    (await actions()).revokeSecret(ctx, id, command.optsWithGlobals<ServerFlags>()),
  );
}
