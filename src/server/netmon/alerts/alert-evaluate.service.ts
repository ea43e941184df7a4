import { alertRuleSchema, type AlertRule } from '../../../shared/api/netmon-alerts';
import type { ServerContext } from '../../context';
import { evaluateRule, type ScopeResult } from './alert-condition';
import { closeIncident, openIncident, refreshIncident } from './alert-incidents.service';
import { deliverWebhook, type WebhookOptions, type WebhookResult } from './alert-webhook';
import { enqueueAlertEvent } from '../../webhooks/webhook-other-events';
import {
  deleteState,
  insertState,
  selectFiringIncidents,
  selectIncident,
  selectRules,
  selectStates,
  selectWindowStats,
  updateState,
  writePendingStates,
  type IncidentRow,
  type PendingWrites,
  type RuleRow,
  type StateRow,
  type WindowStats,
} from './alerts.repo';

/*
 * One evaluation of every enabled rule: one grouped read of the raw samples per distinct window length
 * (rules sharing a 5-minute window share the read), the stored states, then each rule's scopes in memory.
 * Writes happen only on a transition. States:
 *
 *   ok (no row) ─bad→ pending ─bad for forMinutes→ firing ─clearly good for resolveMinutes→ ok (resolved)
 *            pending ─not bad→ ok        firing ─bad again before that→ firing (the good clock restarts)
 *
 * "Clearly good" uses the resolve threshold (see alert-condition.ts), so a value hovering at the threshold,
 * a single good sample or input that flaps keeps the incident firing instead of opening new ones. A scope
 * that reports nothing leaves a firing incident as it is (an outage can silence the agents; they send
 * their queued samples later) and drops a pending one.
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus' | 'log'> & Partial<Pick<ServerContext, 'config'>>;

export interface EvaluationReport {
  rules: number;
  scopes: number;
  /** Grouped reads of samples this pass made. */
  reads: number;
  fired: number[];
  resolved: number[];
  durationMs: number;
  /** The webhook deliveries this pass started (the job does not wait for them). */
  webhooks: Promise<WebhookResult>[];
}

/** A stored rule's definition, or null when it no longer parses (skipped, logged). */
export function parseRule(row: RuleRow): AlertRule | null {
  try {
    const parsed = alertRuleSchema.safeParse(JSON.parse(row.definition));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const stateKey = (ruleId: number, scopeKey: string) => `${ruleId}\u0000${scopeKey}`;

/** Evaluates every enabled rule once, at ctx.now(). */
export async function evaluateAlerts(ctx: Ctx, options: { webhook?: WebhookOptions } = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const db = ctx.db.kysely;
  const now = ctx.now();
  const [ruleRows, states] = await Promise.all([selectRules(db, true), selectStates(db)]);
  const rules = ruleRows.flatMap((row) => {
    const rule = parseRule(row);
    if (!rule) ctx.log.warn({ rule: row.id }, 'alert rule no longer valid: skipped');
    return rule && rule.enabled ? [{ row, rule }] : [];
  });
  const windows = [...new Set(rules.map((r) => r.rule.windowMinutes))];
  const stats = new Map<number, WindowStats[]>(
    await Promise.all(
      windows.map(async (w) => [w, await selectWindowStats(db, now - w * 60_000, now)] as [number, WindowStats[]]),
    ),
  );
  const byKey = new Map(states.map((s) => [stateKey(s.rule_id, s.scope_key), s]));
  const report: EvaluationReport = {
    rules: rules.length,
    scopes: 0,
    reads: windows.length,
    fired: [],
    resolved: [],
    durationMs: 0,
    webhooks: [],
  };
  const hook = (
    row: RuleRow,
    rule: AlertRule,
    event: 'incident.firing' | 'incident.resolved',
    incident: IncidentRow,
  ) => {
    if (!rule.webhook) return;
    report.webhooks.push(
      deliverWebhook({ url: rule.webhook.url, secret: row.webhook_secret }, webhookPayload(event, incident), {
        now: ctx.now,
        ...options.webhook,
      }).then((result) => {
        if (!result.ok) ctx.log.warn({ rule: row.id, incident: incident.id, ...result }, 'alert webhook not delivered');
        return result;
      }),
    );
  };

  // General webhooks that chose alert events get a durable delivery (src/server/webhooks).
  const durableHook = (state: 'firing' | 'resolved', incident: IncidentRow) =>
    enqueueAlertEvent(ctx, db, state, {
      id: incident.id,
      ruleName: incident.rule_name,
      scopeName: incident.scope_name,
      metric: incident.metric,
      threshold: incident.threshold,
      value: incident.value,
      ticketId: incident.ticket_id,
      affectedDevices: (JSON.parse(incident.affected) as unknown[]).length,
      payload: webhookPayload(state === 'firing' ? 'incident.firing' : 'incident.resolved', incident).incident,
    }).catch((err: unknown) => ctx.log.error({ err, incident: incident.id }, 'alert webhook event not enqueued'));

  const pending: PendingWrites = { inserts: [], values: [], deletes: [] };
  for (const { row, rule } of rules) {
    const results = evaluateRule(rule, stats.get(rule.windowMinutes) ?? []);
    report.scopes += results.length;
    const seen = new Set<string>();
    for (const result of results) {
      seen.add(result.scopeKey);
      const state = byKey.get(stateKey(row.id, result.scopeKey));
      const moved = await step(ctx, row, rule, result, state, now, pending);
      if (moved?.event === 'fired') {
        report.fired.push(moved.incident.id);
        hook(row, rule, 'incident.firing', moved.incident);
        await durableHook('firing', moved.incident);
      } else if (moved?.event === 'resolved') {
        report.resolved.push(moved.incident.id);
        hook(row, rule, 'incident.resolved', moved.incident);
        await durableHook('resolved', moved.incident);
      }
    }
    for (const state of states)
      if (state.rule_id === row.id && state.state === 'pending' && !seen.has(state.scope_key))
        pending.deletes.push({ ruleId: row.id, scopeKey: state.scope_key });
  }
  await writePendingStates(db, ctx.db.dialect === 'postgres', pending, now);

  // Rules switched off (or no longer valid) leave nothing firing behind.
  const live = new Set(rules.map((r) => r.row.id));
  for (const incident of await selectFiringIncidents(db)) {
    if (live.has(incident.rule_id)) continue;
    if (await closeIncident(ctx, incident, 'the alert rule was switched off')) report.resolved.push(incident.id);
    await deleteState(db, incident.rule_id, incident.scope_key);
  }
  for (const state of states) if (!live.has(state.rule_id)) await deleteState(db, state.rule_id, state.scope_key);

  report.durationMs = performance.now() - started;
  return report;
}

/** One scope's transition; answers the incident when it fired or resolved. */
async function step(
  ctx: Ctx,
  row: RuleRow,
  rule: AlertRule,
  result: ScopeResult,
  state: StateRow | undefined,
  now: number,
  pending: PendingWrites,
): Promise<{ event: 'fired' | 'resolved'; incident: IncidentRow } | null> {
  const db = ctx.db.kysely;
  if (!state || state.state === 'pending') {
    // A scope that stays pending (or leaves it) is written with the pass's other pending scopes, at the end.
    if (!result.bad) {
      if (state) pending.deletes.push({ ruleId: row.id, scopeKey: result.scopeKey });
      return null;
    }
    const badSince = state?.bad_since ?? now;
    const fresh: StateRow = {
      rule_id: row.id,
      scope_key: result.scopeKey,
      state: 'pending',
      bad_since: now,
      good_since: null,
      incident_id: null,
      value: result.value,
      updated_at: now,
    };
    if (now - badSince < rule.forMinutes * 60_000) {
      if (state) pending.values.push({ ruleId: row.id, scopeKey: result.scopeKey, value: result.value });
      else pending.inserts.push(fresh);
      return null;
    }
    // Firing now: its row must exist before the incident takes it over.
    if (!state) await insertState(db, fresh);
    const incident = await openIncident(ctx, row.id, rule, result, badSince);
    return incident ? { event: 'fired', incident } : null;
  }
  // Firing.
  const incident = state.incident_id === null ? undefined : await selectIncident(db, state.incident_id);
  if (!incident || incident.state !== 'firing') {
    // Resolved elsewhere (the rule was deleted and made again, a technician's cleanup): start over.
    await deleteState(db, row.id, result.scopeKey);
    return null;
  }
  if (!result.clearlyGood) {
    if (state.good_since !== null)
      await updateState(db, row.id, result.scopeKey, { good_since: null, updated_at: now });
    await refreshIncident(ctx, incident, rule, result);
    return null;
  }
  const goodSince = state.good_since ?? now;
  if (now - goodSince < rule.resolveMinutes * 60_000) {
    if (state.good_since === null) await updateState(db, row.id, result.scopeKey, { good_since: now, updated_at: now });
    return null;
  }
  const minutes = Math.round((now - goodSince) / 60_000);
  const closed = await closeIncident(
    ctx,
    { ...incident, peak: incident.peak },
    `the condition has been false for ${minutes} min (now ${result.value === null ? 'unknown' : Math.round(result.value * 10) / 10})`,
  );
  await deleteState(db, row.id, result.scopeKey);
  if (!closed) return null;
  return { event: 'resolved', incident: { ...incident, state: 'resolved', resolved_at: now } };
}

/** What a webhook receiver gets. */
export function webhookPayload(event: 'incident.firing' | 'incident.resolved', incident: IncidentRow) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    event,
    incident: {
      id: incident.id,
      rule: { id: incident.rule_id, name: incident.rule_name },
      scope: { key: incident.scope_key, name: incident.scope_name },
      metric: incident.metric,
      threshold: incident.threshold,
      value: incident.value,
      peak: incident.peak,
      affectedDevices: JSON.parse(incident.affected) as string[],
      ticketId: incident.ticket_id,
      startedAt: iso(incident.started_at),
      resolvedAt: iso(incident.resolved_at),
    },
  };
}
