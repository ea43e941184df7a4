import { z } from 'zod';
import { apiErrorSchema } from '../../shared/api/errors';
import { reportQuerySchema, reportSummarySchema } from '../../shared/api/reports';
import { requireStaff } from '../auth/guards';
import type { ServerContext } from '../context';
import type { App } from '../http/types';
import { reportSummary, resolveReportRange } from './summary.service';

const errors = { 400: apiErrorSchema, 401: apiErrorSchema };

/** Reports for IT: volume, response and resolution times, SLA compliance, backlog, satisfaction, deflection. */
export async function reportRoutes(app: App, ctx: ServerContext): Promise<void> {
  app.get(
    '/api/v1/reports/summary',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['reports'],
        summary: 'Summary report over whole UTC days (default: the last 30 days, at most 366)',
        security: [{ staff: [] }],
        querystring: reportQuerySchema,
        response: { 200: reportSummarySchema, ...errors },
      },
    },
    async (request) => reportSummary(ctx, resolveReportRange(ctx.now(), request.query)),
  );

  app.get(
    '/api/v1/reports/summary.csv',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['reports'],
        summary: 'Daily ticket volume as CSV (date, opened, closed)',
        security: [{ staff: [] }],
        querystring: reportQuerySchema,
        produces: ['text/csv'],
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const range = resolveReportRange(ctx.now(), request.query);
      const { volume } = await reportSummary(ctx, range);
      const lines = ['date,opened,closed', ...volume.daily.map((d) => `${d.date},${d.opened},${d.closed}`)];
      const name = `deskside-volume-${volume.daily[0]?.date ?? ''}-${volume.daily.at(-1)?.date ?? ''}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(`${lines.join('\r\n')}\r\n`);
    },
  );
}
