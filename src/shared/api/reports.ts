import { z } from 'zod';
import { findingCodeSchema } from '../health/finding';
import { endpointGroup } from './endpoint';

/*
 * Reports for IT over a range of whole UTC days. Every event is counted on the day it happened:
 * a ticket is "opened" on created_at and "closed" when resolved (or closed without a resolution);
 * response and resolution times belong to the range their first response or resolution fell in.
 */

/** Longest range one report covers, in days. */
export const MAX_REPORT_DAYS = 366;
/** Range when none is given, in days ending today. */
export const DEFAULT_REPORT_DAYS = 30;

/** GET /api/v1/reports/summary?from=&to= — inclusive UTC dates (YYYY-MM-DD). */
export const reportQuerySchema = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** Median and 90th percentile of a duration, in minutes; null when nothing was measured. */
export const durationStatsSchema = z.object({
  count: z.number(),
  medianMinutes: z.number().nullable(),
  p90Minutes: z.number().nullable(),
});

/** How many tickets with an SLA target met it; percent is null when none had one. */
export const complianceSchema = z.object({ total: z.number(), met: z.number(), percent: z.number().nullable() });

export const reportSummarySchema = z.object({
  range: z.object({ from: z.string(), to: z.string(), days: z.number() }),
  volume: z.object({
    opened: z.number(),
    closed: z.number(),
    /** One entry per UTC day of the range, zero-filled. */
    daily: z.array(z.object({ date: z.string(), opened: z.number(), closed: z.number() })),
  }),
  /** From created_at to first_response_at, for first responses given in the range. */
  firstResponse: durationStatsSchema,
  /** From created_at to resolved_at, for tickets resolved in the range. */
  resolution: durationStatsSchema,
  sla: z.object({ firstResponse: complianceSchema, resolution: complianceSchema }),
  /** Open work now (new, open, pending), whatever the range. */
  backlog: z.object({
    total: z.number(),
    byPriority: z.object({ p1: z.number(), p2: z.number(), p3: z.number(), p4: z.number() }),
  }),
  /** Ratings of tickets closed in the range. */
  satisfaction: z.object({
    count: z.number(),
    average: z.number().nullable(),
    distribution: z.array(z.object({ rating: z.number(), count: z.number() })),
  }),
  topCategories: z.array(z.object({ category: z.string(), count: z.number() })),
  /** Health findings on the snapshots of tickets opened in the range, counted once per ticket. */
  topFindings: z.array(z.object({ code: findingCodeSchema, count: z.number() })),
  /** Self-help against tickets: percent = helped / (helped + tickets). */
  deflection: z.object({
    articleViews: z.number(),
    helped: z.number(),
    tickets: z.number(),
    percent: z.number().nullable(),
  }),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

export const reportEndpoints = endpointGroup('reports', {
  reportSummary: {
    summary: `Summary report over whole UTC days (default: the last ${DEFAULT_REPORT_DAYS} days, at most ${MAX_REPORT_DAYS})`,
    query: reportQuerySchema,
    responses: { 200: reportSummarySchema },
  },
  reportSummaryCsv: {
    summary: 'Daily ticket volume as CSV (date, opened, closed)',
    query: reportQuerySchema,
    produces: 'text/csv',
    responses: { 200: z.string() },
  },
});
