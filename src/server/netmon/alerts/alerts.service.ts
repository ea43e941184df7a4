import type { z } from 'zod';
import type {
  AlertRule,
  AlertRuleDto,
  alertRuleSchema,
  IncidentDto,
  TicketIncidentDto,
} from '../../../shared/api/netmon-alerts';
import { audit } from '../../audit/audit.service';
import type { StaffUser } from '../../auth/guards';
import type { ServerContext } from '../../context';
import { parseStringArray } from '../../db/json-columns';
import { notFound } from '../../errors';
import { ticketNotFound } from '../../tickets/ticket-dto';
import { ticketExists } from '../../tickets/tickets.repo';
import { parseRule } from './alert-evaluate.service';
import { closeIncident, INCIDENT_AUTHOR, postSystemMessage, toIncidentDtos } from './alert-incidents.service';
import { firingIncidentsCached } from './firing-cache';
import {
  deletePendingStatesOfRule,
  deleteRule,
  deleteStatesOfRule,
  insertIncidentTickets,
  insertRule,
  selectAnnouncementOfIncident,
  selectDeviceSite,
  selectFiringIncidents,
  selectIncidentOfTicket,
  selectIncidents,
  selectRule,
  selectRules,
  selectStates,
  updateRule,
  type RuleRow,
} from './alerts.repo';

/*
 * Alert rules (admins write, audited `netmon.alert_rule.saved|deleted`; the webhook secret is kept apart and
 * never shown), incidents as the console lists them, a ticket's incident, and the link of an employee's new
 * ticket to the incident that covers their device while it fires.
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus' | 'log'>;
type RuleInput = z.output<typeof alertRuleSchema>;
interface Actor {
  staff: StaffUser;
  ip: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toRuleDto(row: RuleRow, counts: { pending: number; firing: number }): AlertRuleDto {
  const r = parseRule(row);
  if (!r) throw new Error(`alert rule ${row.id} is not valid`);
  return {
    id: row.id,
    name: r.name,
    enabled: r.enabled,
    metric: r.metric,
    threshold: r.threshold,
    resolveThreshold: r.resolveThreshold ?? null,
    target: r.target ?? null,
    scope: r.scope,
    deviceId: r.deviceId ?? null,
    site: r.site ?? null,
    minSharePct: r.minSharePct,
    minDevices: r.minDevices,
    windowMinutes: r.windowMinutes,
    forMinutes: r.forMinutes,
    resolveMinutes: r.resolveMinutes,
    announcement: r.announcement
      ? { title: r.announcement.title ?? null, body: r.announcement.body ?? null, severity: r.announcement.severity }
      : null,
    webhook: r.webhook ? { url: r.webhook.url, secretSet: row.webhook_secret !== null } : null,
    pending: counts.pending,
    firing: counts.firing,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The stored definition: everything but the secret. */
function definitionOf(input: RuleInput): string {
  const stored: AlertRule = { ...input, webhook: input.webhook ? { url: input.webhook.url } : null };
  return JSON.stringify(stored);
}

export async function listRules(ctx: Ctx): Promise<{ rules: AlertRuleDto[] }> {
  const [rows, states] = await Promise.all([selectRules(ctx.db.kysely), selectStates(ctx.db.kysely)]);
  return {
    rules: rows.flatMap((row) => {
      if (!parseRule(row)) return [];
      const mine = states.filter((s) => s.rule_id === row.id);
      return [
        toRuleDto(row, {
          pending: mine.filter((s) => s.state === 'pending').length,
          firing: mine.filter((s) => s.state === 'firing').length,
        }),
      ];
    }),
  };
}

async function auditRule(ctx: Ctx, actor: Actor, action: string, id: number, details: Record<string, unknown>) {
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staff.id,
    action,
    targetType: 'netmon_alert_rule',
    targetId: id,
    details,
    ip: actor.ip,
  });
}

export async function createRule(ctx: Ctx, actor: Actor, input: RuleInput): Promise<AlertRuleDto> {
  const now = ctx.now();
  const row = await insertRule(ctx.db.kysely, {
    name: input.name,
    definition: definitionOf(input),
    enabled: input.enabled ? 1 : 0,
    webhook_secret: input.webhook?.secret ?? null,
    created_at: now,
    updated_at: now,
    updated_by: actor.staff.id,
  });
  await auditRule(ctx, actor, 'netmon.alert_rule.saved', row.id, { created: true, rule: JSON.parse(row.definition) });
  return toRuleDto(row, { pending: 0, firing: 0 });
}

/** Replaces a rule; its pending scopes start over (firing ones are judged by the new rule from the next pass). */
export async function saveRule(ctx: Ctx, actor: Actor, id: number, input: RuleInput): Promise<AlertRuleDto> {
  const current = await selectRule(ctx.db.kysely, id);
  if (!current) throw notFound('Alert rule');
  const secret = input.webhook ? (input.webhook.secret ?? current.webhook_secret) : null;
  const row = await updateRule(ctx.db.kysely, id, {
    name: input.name,
    definition: definitionOf(input),
    enabled: input.enabled ? 1 : 0,
    webhook_secret: secret,
    updated_at: ctx.now(),
    updated_by: actor.staff.id,
  });
  if (!row) throw notFound('Alert rule');
  const states = (await selectStates(ctx.db.kysely)).filter((s) => s.rule_id === id);
  await deletePendingStatesOfRule(ctx.db.kysely, id);
  await auditRule(ctx, actor, 'netmon.alert_rule.saved', id, { created: false, rule: JSON.parse(row.definition) });
  return toRuleDto(row, { pending: 0, firing: states.filter((s) => s.state === 'firing').length });
}

/** Deletes a rule; its firing incidents are resolved ("the rule was deleted"). */
export async function removeRule(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!(await selectRule(ctx.db.kysely, id))) throw notFound('Alert rule');
  for (const incident of await selectFiringIncidents(ctx.db.kysely))
    if (incident.rule_id === id) await closeIncident(ctx, incident, 'the alert rule was deleted');
  await deleteStatesOfRule(ctx.db.kysely, id);
  if (!(await deleteRule(ctx.db.kysely, id))) throw notFound('Alert rule');
  await auditRule(ctx, actor, 'netmon.alert_rule.deleted', id, {});
}

export async function listIncidents(
  ctx: Ctx,
  query: { state: 'firing' | 'resolved' | 'all'; limit: number },
): Promise<{ incidents: IncidentDto[] }> {
  return { incidents: await toIncidentDtos(ctx, await selectIncidents(ctx.db.kysely, query.state, query.limit)) };
}

export async function ticketIncident(ctx: Ctx, ticketId: number): Promise<TicketIncidentDto> {
  if (!(await ticketExists(ctx.db.kysely, ticketId))) throw ticketNotFound();
  const found = await selectIncidentOfTicket(ctx.db.kysely, ticketId);
  if (!found) return { role: null, incident: null };
  const [incident] = await toIncidentDtos(ctx, [found.row]);
  return { role: found.role, incident: incident ?? null };
}

/**
 * A device's new ticket, filed while an incident covers the device (its current site is the incident's
 * site, or it is one of the affected devices): linked to the incident, and the employee is told in a
 * message on the ticket. One cheap query when nothing fires. Answers the incident ids linked.
 */
export async function linkFiledTicket(ctx: Ctx, deviceId: string, ticketId: number): Promise<number[]> {
  const firing = await firingIncidentsCached(ctx.db.kysely, ctx.now());
  if (firing.length === 0) return [];
  const site = await selectDeviceSite(ctx.db.kysely, deviceId);
  const covering = firing.filter(
    (i) => (site !== null && i.scope_key === `site:${site}`) || parseStringArray(i.affected).includes(deviceId),
  );
  if (covering.length === 0) return [];
  const now = ctx.now();
  const newest = covering[covering.length - 1]!;
  const title = await announcementTitle(ctx, newest.announcement_id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await insertIncidentTickets(
      trx,
      covering.map((i) => ({
        incident_id: i.id,
        ticket_id: ticketId,
        device_id: deviceId,
        how: 'filed',
        linked_at: now,
      })),
    );
    await postSystemMessage(
      trx,
      ticketId,
      `This looks related to a known problem: **${title ?? `${newest.rule_name} — ${newest.scope_name}`}** (since ${new Date(
        newest.started_at,
      )
        .toISOString()
        .slice(
          11,
          16,
        )} UTC). IT is already working on it; your ticket is linked to it and you will hear here when it is fixed.`,
      now,
    );
  });
  ctx.bus.notify(ticketId, { changed: true });
  ctx.log.info({ ticketId, incidents: covering.map((i) => i.id), by: INCIDENT_AUTHOR }, 'ticket linked to incident');
  return covering.map((i) => i.id);
}

async function announcementTitle(ctx: Ctx, id: number | null): Promise<string | null> {
  if (id === null) return null;
  return (await selectAnnouncementOfIncident(ctx.db.kysely, id))?.title ?? null;
}
