import { Option, type Command } from 'commander';
import { AGENT_RUN_OPTIONS, type RunOption } from './agent-run';
import { parseServer } from './options';
import type { CommandContext } from './program';

/*
 * `deskside agent run | install | uninstall`: the headless daemon and its registration with the
 * OS's service manager. Definitions only: daemon.actions.ts runs them.
 */

const actions = () => import('./daemon.actions');

/** One of `agent run`'s options (declared in agent-run.ts, which parses them without commander). */
function runOption(name: keyof typeof AGENT_RUN_OPTIONS): Option {
  const declared: RunOption = AGENT_RUN_OPTIONS[name];
  const option = new Option(declared.flags, declared.description);
  if (declared.parse) option.argParser(declared.parse);
  if (declared.default !== undefined) option.default(declared.default);
  return option;
}
const dataDirOption = () => runOption('dataDir');
const logLevelOption = () => runOption('logLevel');

/** Adds the `agent` command group to the program. */
export function registerDaemonCommands(program: Command, ctx: CommandContext): void {
  const agent = program.command('agent').description('the headless agent daemon: run it, or register it as a service');

  agent
    .command('run')
    .description('run the agent in the foreground until SIGTERM or SIGINT; JSON log lines on stdout')
    .addOption(dataDirOption())
    .addOption(logLevelOption())
    .addOption(runOption('serverUrl'))
    .addOption(runOption('enrollSecret'))
    .addOption(runOption('config'))
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
