import { createTicketRequestSchema, type CreateTicketRequest } from '../shared/api/tickets';
import type { SectionName, Snapshot } from '../shared/snapshot';
import type { Impact, TicketCategory, Urgency } from '../shared/ticket-fields';
import { ApiCallError } from '../main/services/api-client';
import { defaultAgentDataDir, openHeadlessAgent, type HeadlessAgent } from '../main/services/headless-agent';
import { healthStatusOf } from '../main/services/health.service';
import { withoutSections } from '../main/services/snapshot.service';
import { formatOutbox, formatThread, formatTickets } from './format/tickets';
import { createStyle } from './format/style';
import { UsageError } from './io';
import type { CommandContext } from './program';
import { askMissingTicketFields } from './ticket-prompt';

/* What the headless agent's commands do; loaded (with the agent's services) when one of them runs. */

/** Exit code when the server refused something or could not be used. */
const EXIT_FAILED = 1;

/** The flag every agent command has. */
export interface DataDirOpts {
  dataDir?: string;
}

/** `ticket new`'s flags; subject, category and urgency may be missing. */
export interface TicketNewOpts extends DataDirOpts {
  subject?: string;
  description: string;
  category?: TicketCategory;
  urgency?: Urgency;
  impact: Impact;
  snapshot: boolean;
  exclude: SectionName[];
}

function failure(error: unknown): string {
  return error instanceof ApiCallError ? error.message : error instanceof Error ? error.message : String(error);
}

async function withAgent(
  { io, deps }: CommandContext,
  opts: DataDirOpts,
  work: (agent: HeadlessAgent) => Promise<void>,
): Promise<void> {
  const agent = await openHeadlessAgent({ dataDir: opts.dataDir ?? defaultAgentDataDir(), version: deps.version });
  try {
    for (const error of agent.managedErrors) io.err(`deskside: managed config: ${error}\n`);
    await work(agent);
  } finally {
    agent.close();
  }
}

/**
 * The first inventory snapshot, with the agent's privacy settings (excluded sections never collected,
 * redaction as configured): the help desk knows the computer and its health from enrollment on.
 * Enrollment stands when it cannot be sent.
 */
async function sendInventory({ io, deps }: CommandContext, agent: HeadlessAgent): Promise<void> {
  const { privacy, serverUrl } = agent.settings.effective();
  try {
    const snapshot = await deps.collect({
      omit: privacy.excludedSections as SectionName[],
      redact: privacy.redact,
      settings: { serverUrl },
    });
    const { findings } = await agent.api.uploadSnapshot(snapshot);
    const worst = healthStatusOf(findings);
    io.out(`sent its inventory snapshot: health ${worst}${findings.length ? ` (${findings.length} findings)` : ''}\n`);
  } catch (error) {
    io.err(`deskside: the inventory snapshot was not sent: ${failure(error)}\n`);
  }
}

/** `deskside enroll`. */
export async function enrollAction(
  ctx: CommandContext,
  opts: DataDirOpts & { server: string; secret: string; inventory: boolean },
) {
  await withAgent(ctx, opts, async (agent) => {
    const managedUrl = agent.managed.serverUrl;
    if (managedUrl && managedUrl.replace(/\/+$/, '') !== opts.server)
      throw new UsageError(`IT's configuration fixes the server to ${managedUrl}`);
    if (!managedUrl) agent.settings.set({ serverUrl: opts.server });
    try {
      const creds = await agent.enrollment.enroll(opts.server, opts.secret);
      ctx.io.out(`enrolled with ${creds.serverUrl} as device ${creds.deviceId}\n`);
    } catch (error) {
      ctx.io.err(`deskside: enrollment failed: ${failure(error)}\n`);
      ctx.setExit(EXIT_FAILED);
      return;
    }
    if (opts.inventory) await sendInventory(ctx, agent);
  });
}

/** Fills in (on a terminal) and validates the ticket's fields; an absent category is left to the help desk. */
async function ticketFields(ctx: CommandContext, opts: TicketNewOpts) {
  const given = { subject: opts.subject, category: opts.category, urgency: opts.urgency };
  const missing = given.subject === undefined || given.category === undefined || given.urgency === undefined;
  const prompter = missing ? ((await ctx.io.prompter?.()) ?? null) : null;
  const fields = prompter
    ? await askMissingTicketFields(prompter, given, ctx.io).finally(() => prompter.close())
    : given;
  if (fields === null) throw new UsageError('no ticket filed: input ended');
  if (fields.subject === undefined) throw new UsageError('--subject is required: what is wrong, in a few words');
  const form = createTicketRequestSchema.safeParse({ ...fields, description: opts.description, impact: opts.impact });
  if (!form.success) {
    const issue = form.error.issues[0];
    throw new UsageError(`--${String(issue?.path[0] ?? 'ticket')}: ${issue?.message ?? 'invalid'}`);
  }
  return form.data;
}

/** `deskside ticket new`: written to the outbox first, then tried once. */
export async function ticketNewAction(ctx: CommandContext, opts: TicketNewOpts): Promise<void> {
  const f = await ticketFields(ctx, opts);
  const { io, deps, setExit } = ctx;
  await withAgent(ctx, opts, async (agent) => {
    const privacy = agent.settings.effective().privacy;
    let snapshot: Snapshot | undefined;
    if (opts.snapshot) {
      const locked = privacy.excludedSections as SectionName[];
      const collected = await deps.collect({
        omit: [...new Set([...locked, ...opts.exclude])],
        redact: privacy.redact,
        settings: { serverUrl: agent.settings.effective().serverUrl },
      });
      snapshot = withoutSections(
        collected,
        opts.exclude.filter((s) => !locked.includes(s)),
      );
    }
    const request: CreateTicketRequest = {
      subject: f.subject,
      description: f.description,
      ...(f.category ? { category: f.category } : {}),
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
}

/** `deskside tickets [id]`. */
export async function ticketsAction(
  ctx: CommandContext,
  id: number | undefined,
  opts: DataDirOpts & { json?: boolean },
): Promise<void> {
  const { io } = ctx;
  const style = createStyle(io.stdout);
  await withAgent(ctx, opts, async (agent) => {
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
      ctx.setExit(EXIT_FAILED);
    }
  });
}

/** `deskside outbox [--flush]`. */
export async function outboxAction(
  ctx: CommandContext,
  opts: DataDirOpts & { flush?: boolean; json?: boolean },
): Promise<void> {
  const { io } = ctx;
  await withAgent(ctx, opts, async (agent) => {
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
    else if (!opts.flush || items.length > 0) io.out(`${formatOutbox(items, createStyle(io.stdout))}\n`);
    if (items.some((i) => i.state === 'rejected') || (opts.flush && items.some((i) => i.state === 'queued')))
      ctx.setExit(EXIT_FAILED);
  });
}
