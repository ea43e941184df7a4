import { Option, type Command } from 'commander';
import { TICKET_CATEGORIES, type CreateTicketRequest } from '../shared/api/tickets';
import { submitTicketSchema } from '../shared/ipc/contract';
import { IMPACTS, URGENCIES } from '../shared/priority';
import { isSectionName, SECTION_NAMES, type SectionName, type Snapshot } from '../shared/snapshot';
import type { CollectOptions } from '../main/diagnostics/collector';
import { ApiCallError } from '../main/services/api-client';
import { defaultAgentDataDir, openHeadlessAgent, type HeadlessAgent } from '../main/services/headless-agent';
import { healthStatusOf } from '../main/services/health.service';
import { withoutSections } from '../main/services/snapshot.service';
import { formatOutbox, formatThread, formatTickets } from './format/tickets';
import { createStyle } from './format/style';
import { UsageError, type CliIo } from './io';

/*
 * The headless agent's commands: enroll this computer, file a ticket through the durable outbox,
 * read tickets and the technician's replies, and look at (or flush) the outbox. They share the data
 * folder, outbox and credentials with the tray app.
 */

/** Exit code when the server refused something or could not be used. */
const EXIT_FAILED = 1;

interface DataDirOpts {
  dataDir?: string;
}

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'agent data folder (default: per OS, or DESKSIDE_AGENT_DATA_DIR)');

function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value))
      throw new UsageError(`${name} must be one of ${choices.join(', ')}: ${value}`);
    return value as T;
  };
}

function parseExclude(value: string, previous: SectionName[] = []): SectionName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isSectionName(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown section ${unknown.join(', ')}; choose from ${SECTION_NAMES.join(', ')}`);
  return [...new Set([...previous, ...(names as SectionName[])])];
}

function parseTicketId(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new UsageError(`not a ticket number: ${value}`);
  return Number(value);
}

function parseServer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`only http and https URLs are supported: ${value}`);
  return url.toString().replace(/\/+$/, '');
}

function failure(error: unknown): string {
  return error instanceof ApiCallError ? error.message : error instanceof Error ? error.message : String(error);
}

/** Adds enroll, ticket new, tickets and outbox to the program. */
export function registerAgentCommands(
  program: Command,
  io: CliIo,
  deps: { version: string; collect(options: CollectOptions): Promise<Snapshot> },
  setExit: (code: number) => void,
): void {
  const style = createStyle(io.stdout);
  const open = (opts: DataDirOpts) =>
    openHeadlessAgent({ dataDir: opts.dataDir ?? defaultAgentDataDir(), version: deps.version });
  const withAgent = async (opts: DataDirOpts, work: (agent: HeadlessAgent) => Promise<void>) => {
    const agent = await open(opts);
    try {
      for (const error of agent.managedErrors) io.err(`deskside: managed config: ${error}\n`);
      await work(agent);
    } finally {
      agent.close();
    }
  };

  /**
   * The first inventory snapshot, with the agent's privacy settings (excluded sections never collected,
   * redaction as configured): the help desk knows the computer and its health from enrollment on.
   * Enrollment stands when it cannot be sent.
   */
  const sendInventory = async (agent: HeadlessAgent) => {
    const { privacy, serverUrl } = agent.settings.effective();
    try {
      const snapshot = await deps.collect({
        omit: privacy.excludedSections as SectionName[],
        redact: privacy.redact,
        settings: { serverUrl },
      });
      const { findings } = await agent.api.uploadSnapshot(snapshot);
      const worst = healthStatusOf(findings);
      io.out(
        `sent its inventory snapshot: health ${worst}${findings.length ? ` (${findings.length} findings)` : ''}\n`,
      );
    } catch (error) {
      io.err(`deskside: the inventory snapshot was not sent: ${failure(error)}\n`);
    }
  };

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
    .action(async (opts: DataDirOpts & { server: string; secret: string; inventory: boolean }) =>
      withAgent(opts, async (agent) => {
        const managedUrl = agent.managed.serverUrl;
        if (managedUrl && managedUrl.replace(/\/+$/, '') !== opts.server)
          throw new UsageError(`IT's configuration fixes the server to ${managedUrl}`);
        if (!managedUrl) agent.settings.set({ serverUrl: opts.server });
        try {
          const creds = await agent.enrollment.enroll(opts.server, opts.secret);
          io.out(`enrolled with ${creds.serverUrl} as device ${creds.deviceId}\n`);
        } catch (error) {
          io.err(`deskside: enrollment failed: ${failure(error)}\n`);
          setExit(EXIT_FAILED);
          return;
        }
        if (opts.inventory) await sendInventory(agent);
      }),
    );

  const ticket = program.command('ticket').description('file a help-desk ticket');
  ticket
    .command('new')
    .description(
      'file a ticket with a snapshot of this computer; it waits in the outbox if the help desk cannot be reached',
    )
    .requiredOption('--subject <text>', 'what is wrong, in a few words')
    .option('--description <text>', 'more detail', '')
    .requiredOption('--category <category>', TICKET_CATEGORIES.join('|'), parseChoice('--category', TICKET_CATEGORIES))
    .requiredOption('--urgency <urgency>', URGENCIES.join('|'), parseChoice('--urgency', URGENCIES))
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
    .action(
      async (
        opts: DataDirOpts & {
          subject: string;
          description: string;
          category: CreateTicketRequest['category'];
          urgency: CreateTicketRequest['urgency'];
          impact: CreateTicketRequest['impact'];
          snapshot: boolean;
          exclude: SectionName[];
        },
      ) => {
        const form = submitTicketSchema.safeParse({
          subject: opts.subject,
          description: opts.description,
          category: opts.category,
          urgency: opts.urgency,
          impact: opts.impact,
          excludeSections: opts.exclude,
          includeSnapshot: opts.snapshot,
        });
        if (!form.success) {
          const issue = form.error.issues[0];
          throw new UsageError(`--${String(issue?.path[0] ?? 'ticket')}: ${issue?.message ?? 'invalid'}`);
        }
        await withAgent(opts, async (agent) => {
          const f = form.data;
          const privacy = agent.settings.effective().privacy;
          let snapshot: Snapshot | undefined;
          if (f.includeSnapshot) {
            const locked = privacy.excludedSections as SectionName[];
            const collected = await deps.collect({
              omit: [...new Set([...locked, ...f.excludeSections])],
              redact: privacy.redact,
              settings: { serverUrl: agent.settings.effective().serverUrl },
            });
            snapshot = withoutSections(
              collected,
              f.excludeSections.filter((s) => !locked.includes(s)),
            );
          }
          const request: CreateTicketRequest = {
            subject: f.subject,
            description: f.description,
            category: f.category,
            urgency: f.urgency,
            impact: f.impact,
            ...(snapshot ? { snapshot } : {}),
          };
          const { outboxId, outcome } = await agent.submit(request);
          if (outcome.state === 'sent') io.out(`sent as ticket #${outcome.ticketId}\n`);
          else if (outcome.state === 'rejected') {
            io.err(`deskside: the help desk refused the ticket: ${outcome.error}\n`);
            io.err(`deskside: it stays in the outbox as ${outboxId}; see "deskside outbox"\n`);
            setExit(EXIT_FAILED);
          } else {
            const why = outcome.state === 'queued' ? outcome.error : 'another Deskside process is sending it';
            io.out(`queued as ${outboxId}, will retry${why ? `: ${why}` : ''}\n`);
          }
        });
      },
    );

  program
    .command('tickets')
    .description("this computer's tickets; with a number, that ticket's conversation")
    .argument('[id]', 'ticket number', parseTicketId)
    .option('--json', 'print JSON')
    .addOption(dataDirOption())
    .action(async (id: number | undefined, opts: DataDirOpts & { json?: boolean }) =>
      withAgent(opts, async (agent) => {
        if (!agent.enrollment.credentials())
          throw new UsageError('this computer is not enrolled yet; run "deskside enroll --server URL --secret SECRET"');
        try {
          if (id === undefined) {
            const list = await agent.guidance.list();
            const outbox = await agent.outbox.list();
            io.out(
              opts.json
                ? `${JSON.stringify({ ...list, outbox }, null, 2)}\n`
                : `${formatTickets(list.tickets, outbox, list.fromCache, style)}\n`,
            );
          } else {
            const thread = await agent.guidance.thread(id);
            io.out(opts.json ? `${JSON.stringify(thread, null, 2)}\n` : `${formatThread(thread, style)}\n`);
          }
        } catch (error) {
          io.err(`deskside: ${failure(error)}\n`);
          setExit(EXIT_FAILED);
        }
      }),
    );

  program
    .command('outbox')
    .description('tickets waiting to be sent; --flush tries to send them now')
    .option('--flush', 'try to send every waiting ticket once, now')
    .option('--json', 'print JSON')
    .addOption(dataDirOption())
    .action(async (opts: DataDirOpts & { flush?: boolean; json?: boolean }) =>
      withAgent(opts, async (agent) => {
        if (opts.flush) {
          await agent.enrollment.ensure();
          const results = await agent.outbox.flush({ all: true });
          for (const [outboxId, outcome] of results) {
            if (outcome.state === 'sent') io.out(`${outboxId}: sent as ticket #${outcome.ticketId}\n`);
            else if (outcome.state === 'queued') io.out(`${outboxId}: still queued: ${outcome.error}\n`);
            else if (outcome.state === 'rejected') io.out(`${outboxId}: refused: ${outcome.error}\n`);
          }
        }
        const items = await agent.outbox.list();
        if (opts.json) io.out(`${JSON.stringify({ items }, null, 2)}\n`);
        else if (!opts.flush || items.length > 0) io.out(`${formatOutbox(items, style)}\n`);
        if (items.some((i) => i.state === 'rejected') || (opts.flush && items.some((i) => i.state === 'queued')))
          setExit(EXIT_FAILED);
      }),
    );
}
