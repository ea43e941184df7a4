import type { FastifyBaseLogger } from 'fastify';
import { createStaff } from '../../src/server/auth/staff.service';
import type { Db } from '../../src/server/db/database';
import { EventBus } from '../../src/server/events/event-bus';
import { evaluateAlerts } from '../../src/server/netmon/alerts/alert-evaluate.service';
import { createRule } from '../../src/server/netmon/alerts/alerts.service';
import { alertRuleSchema, type AlertMetric } from '../../src/shared/api/netmon-alerts';
import { BENCH_TARGETS } from './netmon-history';
import { median, percentile } from './stats';

/*
 * Alert evaluation for 100 rules (issue 14, "alerts that act"), over the netmon bench's data (every device's
 * last hour of raw samples, 50 sites): the rules are made through the alert service as an admin would, then
 * the engine's real evaluation pass (alert-evaluate.service.ts, what alerts.job.ts runs every 30 s) is timed.
 * The mix: 40 device rules (5 for each device on its own, 35 for one device), 30 site rules (a share of a
 * site's devices; 15 for each site, 15 for one site), 30 target rules (a share of a target's devices), over
 * 5, 10 and 15 minute windows. Thresholds sit near the synthetic data's values (one past all of it), so
 * scopes go bad and the engine writes their pending states; `forMinutes` keeps anything from firing during the
 * passes (opening an incident files a ticket and an announcement: that cost is not in these figures).
 */

const PASSES = Number(process.env.BENCH_NETMON_ALERT_PASSES ?? 10);
const noop = () => {};
const SILENT = {
  level: 'silent',
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  fatal: noop,
  silent: noop,
  child: () => SILENT,
} as unknown as FastifyBaseLogger;

/**
 * Thresholds around the synthetic data (round trips of 0.7–1.7 × 1.5–20 ms, 2% of samples lose one echo in 4).
 * 10 ms of latency is past every device's worst target (the server's, 14–34 ms): the two every-device latency
 * rules keep all 20,000 of their scopes pending in every run, whatever the clock, so the pass always writes
 * at least that many pending states.
 */
const THRESHOLD: Record<AlertMetric, number[]> = { latency: [10, 30, 100], loss: [5, 10, 25], availability: [99, 90] };
const WINDOWS = [5, 10, 15];

function ruleDefinitions(deviceIds: string[], sites: string[]): unknown[] {
  const metrics: AlertMetric[] = ['latency', 'loss', 'availability'];
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;
  const common = (i: number) => {
    const metric = pick(metrics, i);
    return {
      name: `bench rule ${i}`,
      metric,
      threshold: pick(THRESHOLD[metric], i),
      windowMinutes: pick(WINDOWS, i),
      forMinutes: 10,
      announcement: null,
    };
  };
  const rules: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    const base = common(i);
    if (i < 5) rules.push({ ...base, scope: 'device' });
    else if (i < 40) rules.push({ ...base, scope: 'device', deviceId: pick(deviceIds, i * 37) });
    else if (i < 55) rules.push({ ...base, scope: 'site', minSharePct: 20, minDevices: 3 });
    else if (i < 70) rules.push({ ...base, scope: 'site', site: pick(sites, i), minSharePct: 20, minDevices: 3 });
    else rules.push({ ...base, scope: 'target', target: pick(BENCH_TARGETS, i).key, minSharePct: 10, minDevices: 5 });
  }
  return rules;
}

/** Makes the 100 rules, times PASSES evaluation passes; answers the bench's rows. */
export async function benchAlertEvaluation(db: Db, deviceIds: string[]): Promise<string[][]> {
  const sites = (
    await db.kysely.selectFrom('netmon_device_links').select('site').distinct().where('site', 'is not', null).execute()
  ).map((r) => r.site!);
  const now = Date.now();
  const email = `alerts-admin-${now}@bench.example`;
  const id = await createStaff(
    db,
    { email, name: 'Bench Admin', role: 'admin', password: 'bench-admin-password-123', group: null },
    now,
  );
  // The engine's clock just after the newest sample: every window is as full as in a running fleet (the bench's
  // history was written minutes before this step).
  const newest = await db.kysely
    .selectFrom('netmon_samples')
    .select((eb) => eb.fn.max('at').as('at'))
    .executeTakeFirstOrThrow();
  const at = Number(newest.at ?? now) + 1_000;
  const ctx = { db, now: () => at, bus: new EventBus(), log: SILENT };
  const actor = { staff: { id, email, name: 'Bench Admin', role: 'admin' as const, group_name: null }, ip: null };
  for (const definition of ruleDefinitions(deviceIds, sites))
    await createRule(ctx, actor, alertRuleSchema.parse(definition));
  const passes: number[] = [];
  let scopes = 0;
  let reads = 0;
  let fired = 0;
  for (let i = 0; i < PASSES; i++) {
    const report = await evaluateAlerts(ctx);
    passes.push(report.durationMs);
    scopes = report.scopes;
    reads = report.reads;
    fired += report.fired.length;
  }
  const states = await db.kysely
    .selectFrom('netmon_alert_states')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
  return [
    [
      `alert evaluation, 100 rules (40 device, 30 site share, 30 target share; ${scopes} scopes, ${reads} window reads, ${states.n} pending, ${fired} fired), p50 / p95 of ${PASSES} passes`,
      `${ms(median(passes))} / ${ms(percentile(passes, 95))}`,
      '',
      '',
      '',
      '',
    ],
    ['  the same per rule', `${ms(median(passes) / 100)} / ${ms(percentile(passes, 95) / 100)}`, '', '', '', ''],
  ];
}
