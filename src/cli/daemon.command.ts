import { Option, type Command } from 'commander';
import { parseChoice, parseServer } from './options';
import type { CommandContext } from './program';

/*
 * `deskside agent run | install | uninstall`: the headless daemon and its registration with the
 * OS's service manager. Definitions only: daemon.actions.ts runs them.
 */

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type DaemonLogLevel = (typeof LEVELS)[number];

const actions = () => import('./daemon.actions');

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'agent data folder (default: per OS, or DESKSIDE_AGENT_DATA_DIR)');
const logLevelOption = () =>
  new Option('--log-level <level>', LEVELS.join('|')).argParser(parseChoice('--log-level', LEVELS)).default('info');

/** Adds the `agent` command group to the program. */
export function registerDaemonCommands(program: Command, ctx: CommandContext): void {
  const agent = program.command('agent').description('the headless agent daemon: run it, or register it as a service');

  agent
    .command('run')
    .description('run the agent in the foreground until SIGTERM or SIGINT; JSON log lines on stdout')
    .addOption(dataDirOption())
    .addOption(logLevelOption())
    .option('--server-url <url>', "help-desk server URL (overrides IT's managed config)", parseServer)
    .option('--enroll-secret <secret>', "enrollment secret (overrides IT's managed config)")
    .option('--config <file>', "IT's managed config file (default: per OS, or DESKSIDE_AGENT_CONFIG)")
    .action(async (opts) => (await actions()).runAction(ctx, opts));

  agent
    .command('install')
    .description('register `deskside agent run` with systemd, launchd or the Windows service manager, and start it')
    .option('--user', 'systemd: a user unit (~/.config/systemd/user) instead of a system unit')
    .option('--run-as <account>', 'account a system service runs as (default: root / LocalSystem)')
    .addOption(dataDirOption())
    .option('--server-url <url>', 'help-desk server URL the service passes to the agent', parseServer)
    .option('--enroll-secret <secret>', 'enrollment secret the service passes to the agent (file written 0600)')
    .addOption(logLevelOption())
    .option('--dry-run', 'print what would be written and run; run nothing (writes only into --unit-dir)')
    .option(
      '--unit-dir <dir>',
      'write the unit, plist or Windows service wrapper into this folder instead of the system one',
    )
    .action(async (opts) => (await actions()).installAction(ctx, opts));

  agent
    .command('uninstall')
    .description('stop the service and remove what install wrote')
    .option('--user', 'systemd: the user unit')
    .option('--dry-run', 'print what would be removed and run; run nothing (removes only from --unit-dir)')
    .option('--unit-dir <dir>', 'the folder install wrote into')
    .action(async (opts) => (await actions()).uninstallAction(ctx, opts));
}
