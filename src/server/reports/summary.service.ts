import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, type ReportQuery, type ReportSummary } from '../../shared/api/reports';
import type { FindingCode } from '../../shared/health/finding';
import type { ServerContext } from '../context';
import { badRequest } from '../errors';
import { DAY_MS, selectReportRows } from './reports.repo';
import { durationStats, percent, round, topCounts } from './stats';
import { parseFindingCodes } from '../db/json-columns';

const TOP = 10;

/** A report range: whole UTC days, `end` exclusive (epoch ms). */
export interface ReportRange {
  start: number;
  end: number;
  days: number;
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Resolves from/to (inclusive UTC dates) with defaults: 400 invalid_range, 400 range_too_large. */
export function resolveReportRange(now: number, query: ReportQuery): ReportRange {
  const parse = (date: string, name: string) => {
    const ms = Date.parse(`${date}T00:00:00.000Z`);
    // Date.parse rolls 2026-02-30 over to March; a real date prints back the same.
    if (Number.isNaN(ms) || dateOf(ms) !== date)
      throw badRequest('invalid_date', `${name} is not a real date: ${date}`);
    return ms;
  };
  const lastDay = query.to ? parse(query.to, 'to') : Math.floor(now / DAY_MS) * DAY_MS;
  const start = query.from ? parse(query.from, 'from') : lastDay - (DEFAULT_REPORT_DAYS - 1) * DAY_MS;
  if (start > lastDay) throw badRequest('invalid_range', 'from must not be after to');
  const days = (lastDay - start) / DAY_MS + 1;
  if (days > MAX_REPORT_DAYS)
    throw badRequest('range_too_large', `A report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}`);
  return { start, end: lastDay + DAY_MS, days };
}

/** The summary report over a range: volume, response and resolution times, SLA, backlog, satisfaction, deflection. */
export async function reportSummary(ctx: Pick<ServerContext, 'db'>, range: ReportRange): Promise<ReportSummary> {
  const { start, end } = range;
  const [created, done, responded, backlog, articleEvents] = await selectReportRows(ctx.db.kysely, start, end);

  // Volume: zero-filled days, events counted on their own UTC day.
  const firstDay = start / DAY_MS;
  const daily = Array.from({ length: range.days }, (_, i) => ({
    date: dateOf(start + i * DAY_MS),
    opened: 0,
    closed: 0,
  }));
  const categories = new Map<string, number>();
  const findingCounts = new Map<FindingCode, number>();
  const codeSets = new Map<string, FindingCode[]>();
  let opened = 0;
  for (const row of created) {
    const n = Number(row.n);
    opened += n;
    const slot = daily[Number(row.day) - firstDay];
    if (slot) slot.opened += n;
    categories.set(row.category, (categories.get(row.category) ?? 0) + n);
    // finding_codes is JSON text; parsing in JS keeps one code path for both dialects.
    let codes = codeSets.get(row.finding_codes);
    if (!codes) codeSets.set(row.finding_codes, (codes = parseFindingCodes(row.finding_codes)));
    for (const code of codes) findingCounts.set(code, (findingCounts.get(code) ?? 0) + n);
  }

  const ratings = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: 0 }));
  let ratingSum = 0;
  for (const row of done) {
    const slot = daily[Number(row.day) - firstDay];
    if (slot) slot.closed += 1;
    const rated = row.satisfaction === null ? undefined : ratings[row.satisfaction - 1];
    if (rated) {
      rated.count += 1;
      ratingSum += rated.rating;
    }
  }
  const rated = ratings.reduce((sum, r) => sum + r.count, 0);

  const byPriority = { p1: 0, p2: 0, p3: 0, p4: 0 };
  for (const row of backlog) if (row.priority in byPriority) byPriority[row.priority] = Number(row.n);

  const views = Number(articleEvents.find((e) => e.kind === 'view')?.n ?? 0);
  const helped = Number(articleEvents.find((e) => e.kind === 'helped')?.n ?? 0);

  return {
    range: { from: dateOf(start), to: dateOf(end - DAY_MS), days: range.days },
    volume: { opened, closed: done.length, daily },
    firstResponse: durationStats(responded.map((t) => Number(t.ms))),
    resolution: durationStats(done.flatMap((t) => (t.ms === null ? [] : [Number(t.ms)]))),
    sla: { firstResponse: compliance(responded), resolution: compliance(done) },
    backlog: { total: byPriority.p1 + byPriority.p2 + byPriority.p3 + byPriority.p4, byPriority },
    satisfaction: { count: rated, average: rated === 0 ? null : round(ratingSum / rated, 2), distribution: ratings },
    topCategories: topCounts(categories, TOP).map(([category, count]) => ({ category, count })),
    topFindings: topCounts(findingCounts, TOP).map(([code, count]) => ({ code, count })),
    deflection: { articleViews: views, helped, tickets: opened, percent: percent(helped, helped + opened) },
  };
}

/** SLA compliance among rows with a target (met is null without one). */
function compliance(rows: ReadonlyArray<{ met: number | null }>) {
  const judged = rows.filter((r) => r.met !== null);
  const met = judged.filter((r) => Number(r.met) === 1).length;
  return { total: judged.length, met, percent: percent(met, judged.length) };
}
