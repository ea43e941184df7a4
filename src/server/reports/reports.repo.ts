import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/* What the reports read: tickets and article events over a range, aggregated in SQL. */

export const DAY_MS = 86_400_000;
const OPEN_STATUSES = ['new', 'open', 'pending'] as const;

/**
 * The rows of a summary report over [start, end) (epoch ms): tickets opened (by day, category and
 * finding codes), tickets resolved or closed (day, resolution time, SLA verdict, rating), first
 * responses (time, SLA verdict), the open backlog by priority, and article events by kind.
 */
export function selectReportRows(db: Kysely<Database>, start: number, end: number) {
  // Integer division is the same on both dialects for BIGINT/INTEGER epoch milliseconds.
  const day = (column: ReturnType<typeof sql>) => sql<number>`${column} / ${sql.lit(DAY_MS)}`;
  const createdDay = day(sql`created_at`);
  const doneAt = sql<number>`coalesce(resolved_at, closed_at)`;
  // SQL computes the durations and SLA verdicts so each row carries a few integers, not whole tickets.
  const met = (at: string, due: string) =>
    sql<
      number | null
    >`case when ${sql.ref(due)} is null or ${sql.ref(at)} is null then null when ${sql.ref(at)} <= ${sql.ref(due)} then 1 else 0 end`;

  return Promise.all([
    // One pass over the tickets opened in range serves daily volume, categories and findings.
    db
      .selectFrom('tickets')
      .select([createdDay.as('day'), 'category', 'finding_codes', (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .groupBy([createdDay, 'category', 'finding_codes'])
      .execute(),
    db
      .selectFrom('tickets')
      .select([
        day(doneAt).as('day'),
        sql<number | null>`resolved_at - created_at`.as('ms'),
        met('resolved_at', 'resolution_due_at').as('met'),
        'satisfaction',
      ])
      .where(doneAt, '>=', start)
      .where(doneAt, '<', end)
      .execute(),
    db
      .selectFrom('tickets')
      .select([
        sql<number>`first_response_at - created_at`.as('ms'),
        met('first_response_at', 'first_response_due_at').as('met'),
      ])
      .where('first_response_at', '>=', start)
      .where('first_response_at', '<', end)
      .execute(),
    db
      .selectFrom('tickets')
      .select(['priority', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', OPEN_STATUSES)
      .groupBy('priority')
      .execute(),
    db
      .selectFrom('article_events')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('at', '>=', start)
      .where('at', '<', end)
      .groupBy('kind')
      .execute(),
  ]);
}
