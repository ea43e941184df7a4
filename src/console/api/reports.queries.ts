import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call, urlOf } from './http';

/** The period a report covers (query of GET /reports/summary and its CSV). */
export type ReportRange = { from: string; to: string };

export const reportKeys = {
  all: ['reports'] as const,
  summary: (range: ReportRange) => [...reportKeys.all, 'summary', range] as const,
};

/**
 * The report for a period; nothing is asked while `range` is null (an invalid period). The last
 * report stays on screen while another period loads.
 */
export function useReportSummary(range: ReportRange | null) {
  return useQuery({
    queryKey: reportKeys.summary(range ?? { from: '', to: '' }),
    queryFn: ({ signal }) => call('reportSummary', { query: { ...range }, signal }),
    enabled: range !== null,
    placeholderData: keepPreviousData,
  });
}

/** The CSV download of the same report. */
export function reportCsvUrl(range: ReportRange): string {
  return urlOf('reportSummaryCsv', { query: { ...range } });
}
