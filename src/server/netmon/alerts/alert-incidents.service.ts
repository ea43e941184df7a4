import type { Transaction } from 'kysely';
import type { AlertRule, IncidentDto } from '../../../shared/api/netmon-alerts';
import { priorityFor } from '../../../shared/priority';
import { insertAnnouncement, updateAnnouncementRow } from '../../articles/announcements.repo';
import { inContentTransaction, insertContentChange } from '../../articles/content-changes.repo';
import { audit } from '../../audit/audit.service';
import type { ServerContext } from '../../context';
import { isUniqueViolation } from '../../db/database';
import { parseStringArray } from '../../db/json-columns';
import type { Database } from '../../db/schema';
import { defaultTicketCategory } from '../../settings/categories.service';
import { slaColumnsForStatus } from '../../sla/sla-status.service';
import { computeSla, loadSlaPolicies } from '../../sla/sla.service';
import { insertMessage } from '../../tickets/messages.repo';
import { recordTicketEvents } from '../../tickets/ticket-events.repo';
import { updateTicketRow } from '../../tickets/tickets.repo';
import { selectHostnames } from '../netmon.repo';
import { netmonSettings } from '../netmon-settings.service';
import { siteDtoOf } from '../sites';
import { describeCondition, describeValue, type ScopeResult } from './alert-condition';
import {
  insertIncident,
  insertIncidentTicketRow,
  insertIncidentTickets,
  resolveIncidentRow,
  selectAnnouncementOfIncident,
  selectDevicesAtSite,
  selectIncidentTickets,
  selectOpenTicketsOfDevices,
  selectTicketStatus,
  updateIncident,
  updateState,
  type IncidentRow,
} from './alerts.repo';
import { forgetFiringIncidents } from './firing-cache';

/*
 * What an incident does. Firing (one transaction): the incident row (a partial unique index keeps one
 * firing incident per rule and scope), its own ticket (no device; the network files it, urgency and impact
 * high), the open tickets the affected devices filed since the window began linked to it, and an
 * announcement limited to the affected agents (for a site: every device at the site), logged for delta
 * sync. While it fires, newly affected devices are added to it and to the announcement. Resolving: the
 * incident says so on its ticket, which is resolved (a technician may reopen it: the condition is gone, the
 * cause may need a write-up), the linked employees' tickets get a message saying the known problem is
 * fixed (they stay open for their technician), and the announcement expires at once (agents drop it).
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus' | 'log'>;
type Trx = Transaction<Database>;
export const INCIDENT_AUTHOR = 'Network monitoring';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16) + ' UTC';
const fill = (template: string, scope: string) => template.replaceAll('{scope}', scope);

/** The scope's name in words: IT's site name, the device's hostname, or the target. */
export async function scopeNameOf(ctx: Ctx, result: Pick<ScopeResult, 'scope'>): Promise<string> {
  const { kind, value } = result.scope;
  if (kind === 'site') return siteDtoOf(value, (await netmonSettings(ctx)).sites)?.name ?? value;
  if (kind === 'device') return (await selectHostnames(ctx.db.kysely, [value])).get(value) ?? value;
  return value;
}

function announcementText(rule: AlertRule, scopeName: string, startedAt: number) {
  const a = rule.announcement!;
  const where =
    rule.scope === 'device' ? 'on your computer' : rule.scope === 'site' ? `at ${scopeName}` : `with ${scopeName}`;
  return {
    title: fill(a.title ?? `We know about the network problem ${where}`, scopeName),
    body: fill(
      a.body ??
        `Since ${clock(startedAt)}, network monitoring sees ${describeCondition(rule)} ${where}. IT has been alerted and is working on it: there is no need to file a ticket about it. This message goes away when it is fixed.`,
      scopeName,
    ),
  };
}

/** Opens the incident of a scope that fired; null when another process opened it first. */
async function openIncidentNow(
  ctx: Ctx,
  ruleId: number,
  rule: AlertRule,
  result: ScopeResult,
  since: number,
): Promise<IncidentRow | null> {
  const now = ctx.now();
  const scopeName = await scopeNameOf(ctx, result);
  const priority = priorityFor('high', 'high');
  const [sla, category] = await Promise.all([computeSla(ctx, priority, now), defaultTicketCategory(ctx.db)]);
  const audience =
    result.scope.kind === 'site'
      ? [...new Set([...(await selectDevicesAtSite(ctx.db.kysely, result.scope.value)), ...result.badDevices])].sort()
      : result.badDevices;
  const hostnames = await selectHostnames(ctx.db.kysely, result.badDevices);
  const description = [
    `**${rule.name}** fired for ${scopeName}: ${describeCondition(rule)}, since ${clock(since)}.`,
    '',
    `- Now: ${describeValue(rule.metric, result.value)} on average; ${result.badDevices.length} of ${result.reporting} reporting devices past the threshold`,
    `- Affected: ${result.badDevices.map((d) => hostnames.get(d) ?? d).join(', ') || 'none listed'}`,
    rule.announcement
      ? `- Announcement pushed to ${audience.length} device(s)`
      : '- No announcement (the rule sends none)',
    '',
    `This ticket is resolved by itself once the condition has been clearly false for ${rule.resolveMinutes} min.`,
  ].join('\n');
  try {
    const incident = await inContentTransaction(ctx.db, async (trx) => {
      const ticketId = await insertIncidentTicketRow(trx, {
        device_id: null,
        requester_name: INCIDENT_AUTHOR,
        requester_email: null,
        subject: `Network incident: ${rule.name} — ${scopeName}`.slice(0, 200),
        description,
        category,
        urgency: 'high',
        impact: 'high',
        priority,
        status: 'new',
        assignee_id: null,
        group_name: null,
        snapshot_id: null,
        finding_codes: '[]',
        created_at: now,
        updated_at: now,
        sla_policy_id: sla.policyId,
        first_response_due_at: sla.firstResponseDueAt,
        resolution_due_at: sla.resolutionDueAt,
        sla_state: sla.state,
        escalation_level: 0,
        last_message_at: now,
      });
      await recordTicketEvents(trx, [
        { ticketId, type: 'created', actorType: 'system', actorId: null, data: { priority, incident: true }, at: now },
      ]);
      let announcementId: number | null = null;
      if (rule.announcement) {
        const text = announcementText(rule, scopeName, since);
        const row = await insertAnnouncement(trx, {
          ...text,
          severity: rule.announcement.severity,
          target_os: '[]',
          target_groups: '[]',
          target_devices: JSON.stringify(audience),
          status: 'published',
          starts_at: now,
          expires_at: null,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        });
        announcementId = row.id;
        await insertContentChange(trx, 'announcement', row.id, 'upsert', now);
      }
      const incident = await insertIncident(trx, {
        rule_id: ruleId,
        rule_name: rule.name,
        scope_key: result.scopeKey,
        scope_name: scopeName,
        state: 'firing',
        metric: rule.metric,
        threshold: rule.threshold,
        value: result.value,
        peak: result.value,
        affected: JSON.stringify(result.badDevices),
        ticket_id: ticketId,
        announcement_id: announcementId,
        started_at: now,
        resolved_at: null,
        resolution: null,
        updated_at: now,
      });
      await linkAffectedTickets(trx, incident.id, result.badDevices, since - rule.windowMinutes * 60_000, now);
      await updateState(trx, ruleId, result.scopeKey, {
        state: 'firing',
        incident_id: incident.id,
        good_since: null,
        value: result.value,
        updated_at: now,
      });
      return incident;
    });
    if (incident.announcement_id !== null) ctx.bus.publish({ kind: 'content', what: 'announcements' });
    if (incident.ticket_id !== null) ctx.bus.notify(incident.ticket_id, { changed: true });
    await audit(ctx, {
      actorType: 'system',
      actorId: null,
      action: 'netmon.incident.firing',
      targetType: 'netmon_incident',
      targetId: incident.id,
      details: { rule: ruleId, scope: result.scopeKey, value: result.value, affected: result.badDevices.length },
    });
    return incident;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

async function linkAffectedTickets(trx: Trx, incidentId: number, devices: string[], since: number, now: number) {
  const tickets = await selectOpenTicketsOfDevices(trx, devices, since);
  await insertIncidentTickets(
    trx,
    tickets.map((t) => ({
      incident_id: incidentId,
      ticket_id: t.id,
      device_id: t.device_id,
      how: 'affected',
      linked_at: now,
    })),
  );
}

/** Keeps a firing incident current: its value and peak, and newly affected devices (announcement too). */
async function refreshIncidentNow(ctx: Ctx, incident: IncidentRow, rule: AlertRule, result: ScopeResult) {
  const now = ctx.now();
  const before = new Set(parseStringArray(incident.affected));
  const added = result.bad ? result.badDevices.filter((d) => !before.has(d)) : [];
  const peak =
    result.value === null
      ? incident.peak
      : incident.peak === null
        ? result.value
        : rule.metric === 'availability'
          ? Math.min(incident.peak, result.value)
          : Math.max(incident.peak, result.value);
  if (added.length === 0) {
    if (result.value !== incident.value || peak !== incident.peak)
      await updateIncident(ctx.db.kysely, incident.id, { value: result.value, peak, updated_at: now });
    return;
  }
  const affected = [...before, ...added].sort();
  await inContentTransaction(ctx.db, async (trx) => {
    await updateIncident(trx, incident.id, {
      value: result.value,
      peak,
      affected: JSON.stringify(affected),
      updated_at: now,
    });
    await linkAffectedTickets(trx, incident.id, added, incident.started_at - rule.windowMinutes * 60_000, now);
    if (incident.announcement_id !== null) {
      const current = await selectAnnouncementOfIncident(trx, incident.announcement_id);
      const audience = new Set([...parseStringArray(current?.target_devices ?? '[]'), ...added]);
      await updateAnnouncementRow(trx, incident.announcement_id, {
        target_devices: JSON.stringify([...audience].sort()),
        updated_at: now,
      });
      await insertContentChange(trx, 'announcement', incident.announcement_id, 'upsert', now);
    }
  });
  if (incident.announcement_id !== null) ctx.bus.publish({ kind: 'content', what: 'announcements' });
}

/** Resolves a firing incident; false when it was not firing any more. */
async function closeIncidentNow(ctx: Ctx, incident: IncidentRow, resolution: string): Promise<boolean> {
  const now = ctx.now();
  const policies = await loadSlaPolicies(ctx.db);
  const touched: number[] = [];
  const done = await inContentTransaction(ctx.db, async (trx) => {
    if (!(await resolveIncidentRow(trx, incident.id, now, resolution))) return false;
    if (incident.announcement_id !== null) {
      await updateAnnouncementRow(trx, incident.announcement_id, { expires_at: now, updated_at: now });
      await insertContentChange(trx, 'announcement', incident.announcement_id, 'delete', now);
    }
    const body = `**Resolved** at ${clock(now)}: ${resolution}. Started ${clock(incident.started_at)}; worst ${describeValue(incident.metric as AlertRule['metric'], incident.peak)}.`;
    if (incident.ticket_id !== null) {
      await postSystemMessage(trx, incident.ticket_id, body, now);
      const ticket = await selectTicketStatus(trx, incident.ticket_id);
      if (ticket && (ticket.status === 'new' || ticket.status === 'open' || ticket.status === 'pending')) {
        const sla = await slaColumnsForStatus(trx, policies, ticket.id, 'resolved', now);
        await updateTicketRow(trx, ticket.id, { ...sla, status: 'resolved', resolved_at: now, updated_at: now });
        await recordTicketEvents(trx, [
          {
            ticketId: ticket.id,
            type: 'status_changed',
            actorType: 'system',
            actorId: null,
            data: { from: ticket.status, to: 'resolved', incident: incident.id },
            at: now,
          },
        ]);
      }
      touched.push(incident.ticket_id);
    }
    for (const link of await selectIncidentTickets(trx, [incident.id])) {
      await postSystemMessage(
        trx,
        link.ticket_id,
        `The known network problem this ticket was linked to (“${incident.rule_name}” — ${incident.scope_name}) has been fixed. If you still have trouble, answer here.`,
        now,
      );
      touched.push(link.ticket_id);
    }
    return true;
  });
  if (!done) return false;
  if (incident.announcement_id !== null) ctx.bus.publish({ kind: 'content', what: 'announcements' });
  for (const id of touched) ctx.bus.notify(id, { changed: true });
  await audit(ctx, {
    actorType: 'system',
    actorId: null,
    action: 'netmon.incident.resolved',
    targetType: 'netmon_incident',
    targetId: incident.id,
    details: { rule: incident.rule_id, scope: incident.scope_key, resolution },
  });
  return true;
}

/** A message from network monitoring that the ticket's employee sees. */
export async function postSystemMessage(trx: Trx, ticketId: number, body: string, now: number): Promise<number> {
  const messageId = await insertMessage(trx, {
    ticketId,
    authorType: 'system',
    authorId: 'netmon',
    authorName: INCIDENT_AUTHOR,
    body,
    internal: 0,
    at: now,
  });
  await updateTicketRow(trx, ticketId, { updated_at: now, last_message_at: now });
  await recordTicketEvents(trx, [
    {
      ticketId,
      type: 'message_posted',
      actorType: 'system',
      actorId: null,
      at: now,
      data: { messageId, internal: false },
    },
  ]);
  return messageId;
}

/** An incident as the API shows it. */
export async function toIncidentDtos(ctx: Pick<ServerContext, 'db'>, rows: IncidentRow[]): Promise<IncidentDto[]> {
  const links = await selectIncidentTickets(
    ctx.db.kysely,
    rows.map((r) => r.id),
  );
  const devices = [...new Set(rows.flatMap((r) => parseStringArray(r.affected)))];
  const hostnames = await selectHostnames(ctx.db.kysely, devices);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return rows.map((r) => ({
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    scopeKey: r.scope_key,
    scopeName: r.scope_name,
    state: r.state,
    metric: r.metric as IncidentDto['metric'],
    threshold: r.threshold,
    value: r.value,
    peak: r.peak,
    startedAt: iso(r.started_at)!,
    resolvedAt: iso(r.resolved_at),
    resolution: r.resolution,
    ticketId: r.ticket_id,
    announcementId: r.announcement_id,
    affected: parseStringArray(r.affected).map((deviceId) => ({ deviceId, hostname: hostnames.get(deviceId) ?? null })),
    linkedTickets: links
      .filter((l) => l.incident_id === r.id)
      .map((l) => ({ ticketId: l.ticket_id, deviceId: l.device_id, how: l.how })),
  }));
}

/*
 * Opening, widening and closing an incident change what a new ticket is linked to: each forgets this
 * process's cached list of firing incidents once its writes are done (firing-cache.ts).
 */
export async function openIncident(...args: Parameters<typeof openIncidentNow>) {
  try {
    return await openIncidentNow(...args);
  } finally {
    forgetFiringIncidents(args[0].db.kysely);
  }
}

export async function refreshIncident(...args: Parameters<typeof refreshIncidentNow>) {
  try {
    return await refreshIncidentNow(...args);
  } finally {
    forgetFiringIncidents(args[0].db.kysely);
  }
}

export async function closeIncident(...args: Parameters<typeof closeIncidentNow>) {
  try {
    return await closeIncidentNow(...args);
  } finally {
    forgetFiringIncidents(args[0].db.kysely);
  }
}
