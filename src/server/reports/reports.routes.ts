import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { reportSummary, resolveReportRange } from './summary.service';

/** Reports for IT: volume, response and resolution times, SLA compliance, backlog, satisfaction, deflection. */
export async function reportRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'reportSummary', async (request) => reportSummary(ctx, resolveReportRange(ctx.now(), request.query)));

  serve(app, ctx, 'reportSummaryCsv', async (request, reply) => {
    const range = resolveReportRange(ctx.now(), request.query);
    const { volume } = await reportSummary(ctx, range);
    const lines = ['date,opened,closed', ...volume.daily.map((d) => `${d.date},${d.opened},${d.closed}`)];
    const name = `deskside-volume-${volume.daily[0]?.date ?? ''}-${volume.daily.at(-1)?.date ?? ''}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(`${lines.join('\r\n')}\r\n`);
  });
}
