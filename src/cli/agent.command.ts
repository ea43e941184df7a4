import { Option, type Command } from 'commander';
import { IMPACTS, TICKET_CATEGORIES, URGENCIES } from '../shared/ticket-fields';
import { parseChoice, parseExclude, parseServer, parseTicketId } from './options';
import type { CommandContext } from './program';

/*
 * The headless agent's commands: enroll this computer, file a ticket through the durable outbox,
 * read tickets and the technician's replies, and look at (or flush) the outbox. They share the data
 * folder, outbox and credentials with the tray app. Definitions only: agent.actions.ts runs them.
 */

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'agent data folder (default: per OS, or DESKSIDE_AGENT_DATA_DIR)');

const actions = () => import('./agent.actions');

/** Adds enroll, ticket new, tickets and outbox to the program. */
export function registerAgentCommands(program: Command, ctx: CommandContext): void {
  program
    .command('enroll')
    .description('enroll this computer with the help desk (enrollment secret from IT)')
    .requiredOption('--server <url>', 'help-desk server URL', parseServer)
    .requiredOption('--secret <secret>', 'enrollment secret')
    .option(
      '--no-inventory',
      "send no first inventory snapshot (the help desk then shows this computer's health as unknown)",
    )
    .addOption(dataDirOption())
    .action(async (opts) => (await actions()).enrollAction(ctx, opts));

  const ticket = program.command('ticket').description('file a help-desk ticket');
  ticket
    .command('new')
    .description(
      'file a ticket with a snapshot of this computer; it waits in the outbox if the help desk cannot be reached. ' +
        'On a terminal, asks for what is not given',
    )
    .option('--subject <text>', 'what is wrong, in a few words (asked on a terminal when absent)')
    .option('--description <text>', 'more detail', '')
    .addOption(
      new Option(
        '--category <category>',
        `${TICKET_CATEGORIES.join('|')} (default: the help desk's default)`,
      ).argParser(parseChoice('--category', TICKET_CATEGORIES)),
    )
    .addOption(
      new Option('--urgency <urgency>', `${URGENCIES.join('|')} (default: medium)`).argParser(
        parseChoice('--urgency', URGENCIES),
      ),
    )
    .addOption(
      new Option('--impact <impact>', IMPACTS.join('|')).argParser(parseChoice('--impact', IMPACTS)).default('low'),
    )
    .option('--no-snapshot', 'send no snapshot')
    .addOption(
      new Option('--exclude <sections>', 'comma-separated sections to leave out (repeatable)')
        .argParser(parseExclude)
        .default([]),
    )
    .addOption(dataDirOption())
    .action(async (opts) => (await actions()).ticketNewAction(ctx, opts));

  program
    .command('tickets')
    .description("this computer's tickets; with a number, that ticket's conversation")
    .argument('[id]', 'ticket number', parseTicketId)
    .option('--json', 'print JSON')
    .addOption(dataDirOption())
    .action(async (id: number | undefined, opts) => (await actions()).ticketsAction(ctx, id, opts));

  program
    .command('outbox')
    .description('tickets waiting to be sent; --flush tries to send them now')
    .option('--flush', 'try to send every waiting ticket once, now')
    .option('--json', 'print JSON')
    .addOption(dataDirOption())
    .action(async (opts) => (await actions()).outboxAction(ctx, opts));
}
