import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCommandRunner } from '../main/diagnostics/command-runner';
import { createJsonLogger, runDaemon } from '../main/services/daemon';
import { defaultAgentDataDir } from '../main/services/headless-agent';
import { applyServicePlan, ServiceError } from '../main/services/service-install';
import { LINUX_STATE_DIR, planInstall, planUninstall, type ServiceOs } from '../main/services/service-units';
import type { DaemonLogLevel, RunOpts } from './agent-run';
import { EXIT } from './io';
import type { CliDeps, CommandContext } from './program';

/* What `deskside agent run | install | uninstall` do; the logic lives in src/main/services. */

/** What `agent run` uses of a command's context: the entry's own start gives just this (agent-run.ts). */
export type RunContext = Pick<CommandContext, 'io' | 'setExit'> & { deps: Pick<CliDeps, 'version'> };

/** `agent run`: the daemon in the foreground until SIGTERM or SIGINT. */
export async function runAction(ctx: RunContext, opts: RunOpts): Promise<void> {
  const logger = createJsonLogger({ level: opts.logLevel, write: (line) => ctx.io.out(line) });
  const managedArgv: string[] = [];
  if (opts.serverUrl) managedArgv.push('--server-url', opts.serverUrl);
  if (opts.enrollSecret) managedArgv.push('--enroll-secret', opts.enrollSecret);
  if (opts.config) managedArgv.push('--config', resolve(opts.config));
  // A promise nobody awaited must not end a daemon that should run for months: log it, go on.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: String(reason) }));
  const code = await runDaemon({
    dataDir: resolve(opts.dataDir ?? defaultAgentDataDir()),
    version: ctx.deps.version,
    logger,
    managedArgv,
    // Beside this chunk in dist/cli (scripts/build.mjs builds it as its own entry).
    snapshotWorkerPath: fileURLToPath(new URL('./snapshot-worker.js', import.meta.url)),
    signals: process,
    forceExit: (exitCode) => process.stdout.write('', () => process.exit(exitCode)),
  });
  ctx.setExit(code);
}

export interface InstallOpts {
  user?: boolean;
  runAs?: string;
  dataDir?: string;
  serverUrl?: string;
  enrollSecret?: string;
  logLevel: DaemonLogLevel;
  dryRun?: boolean;
  unitDir?: string;
}

function serviceOs(ctx: CommandContext, user: boolean | undefined): ServiceOs | null {
  const os = process.platform;
  if (os !== 'linux' && os !== 'darwin' && os !== 'win32') {
    ctx.io.err(`deskside: agent install: ${os} is not supported (Linux with systemd, macOS, Windows)\n`);
    return null;
  }
  if (user && os !== 'linux') {
    ctx.io.err('deskside: --user is for systemd user units (Linux only)\n');
    return null;
  }
  return os;
}

/** A system service needs root; a dry run and a test folder do not. */
function permitted(ctx: CommandContext, os: ServiceOs, opts: { user?: boolean; dryRun?: boolean; unitDir?: string }) {
  if (os === 'win32' || opts.user || opts.dryRun || opts.unitDir) return true;
  if (process.getuid?.() === 0) return true;
  ctx.io.err(
    `deskside: registering a system ${os === 'linux' ? 'unit' : 'daemon'} needs root: run it with sudo` +
      `${os === 'linux' ? ', or use --user for a user unit' : ''} (--dry-run shows what it would do)\n`,
  );
  return false;
}

/** %ProgramData%, where the Windows service's wrapper folder and data folder go. */
const programData = () => process.env.ProgramData ?? 'C:\\ProgramData';

function systemDataDir(os: ServiceOs, user: boolean | undefined): string {
  if (os === 'linux') return user ? defaultAgentDataDir() : LINUX_STATE_DIR;
  if (os === 'darwin') return '/Library/Application Support/Deskside/agent';
  return `${programData()}\\Deskside\\agent`;
}

/**
 * The Windows service wrapper (WinSW's winsw.exe, winsw.exe.config beside it): in the packaged app's
 * resources (electron-builder.yml), else node-windows's copy (a devDependency, there in a checkout).
 * A path that does not exist is reported by the install, naming it.
 */
export function windowsServiceWrapper(
  resourcesPath = (process as { resourcesPath?: string }).resourcesPath,
  resolveFrom = createRequire(import.meta.url),
): string {
  if (resourcesPath) return join(resourcesPath, 'winsw', 'winsw.exe');
  try {
    return join(dirname(resolveFrom.resolve('node-windows/package.json')), 'bin', 'winsw', 'winsw.exe');
  } catch {
    // Not installed: where it would be in this checkout (dist/cli → the package's node_modules).
    return fileURLToPath(new URL('../../node_modules/node-windows/bin/winsw/winsw.exe', import.meta.url));
  }
}

async function carryOut(ctx: CommandContext, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    ctx.io.err(`deskside: ${error.message}\n`);
    ctx.setExit(error.kind === 'not_permitted' ? EXIT.usage : EXIT.attention);
  }
}

/** `agent install`: writes the unit/plist (or creates the service) and starts it. */
export async function installAction(ctx: CommandContext, opts: InstallOpts): Promise<void> {
  const os = serviceOs(ctx, opts.user);
  if (!os || !permitted(ctx, os, opts)) return ctx.setExit(EXIT.usage);
  const bundle = process.argv[1] ?? '';
  const plan = planInstall(
    os,
    {
      nodePath: process.execPath,
      bundlePath: realpathSync(bundle),
      dataDir: resolve(opts.dataDir ?? systemDataDir(os, opts.user)),
      serverUrl: opts.serverUrl,
      enrollSecret: opts.enrollSecret,
      user: opts.runAs,
      userUnit: opts.user,
      logLevel: opts.logLevel,
    },
    {
      home: homedir(),
      unitDir: opts.unitDir && resolve(opts.unitDir),
      ...(os === 'win32' ? { programData: programData(), wrapperPath: windowsServiceWrapper() } : {}),
    },
  );
  await carryOut(ctx, () =>
    applyServicePlan(plan, {
      runner: createCommandRunner({ timeoutMs: 60_000 }),
      dryRun: Boolean(opts.dryRun),
      touchFiles: !opts.dryRun || Boolean(opts.unitDir),
      out: (text) => ctx.io.out(text),
    }),
  );
}

/** `agent uninstall`: stops the service and removes what install wrote. */
export async function uninstallAction(
  ctx: CommandContext,
  opts: { user?: boolean; dryRun?: boolean; unitDir?: string },
): Promise<void> {
  const os = serviceOs(ctx, opts.user);
  if (!os || !permitted(ctx, os, opts)) return ctx.setExit(EXIT.usage);
  const plan = planUninstall(os, {
    home: homedir(),
    userUnit: opts.user,
    unitDir: opts.unitDir && resolve(opts.unitDir),
    programData: programData(),
  });
  await carryOut(ctx, () =>
    applyServicePlan(plan, {
      runner: createCommandRunner({ timeoutMs: 60_000 }),
      dryRun: Boolean(opts.dryRun),
      touchFiles: !opts.dryRun || Boolean(opts.unitDir),
      out: (text) => ctx.io.out(text),
    }),
  );
}
