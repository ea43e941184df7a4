import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { checkMailbox } from './inbound/mailbox-check';
import { listMailImports } from './mail-imports-log.service';
import { getMailbox, mailboxConfigWith, putMailbox } from './mailbox-settings.service';

/** Email in (admins): how mail reaches the help desk, its connection test, and the import log. */
export async function mailboxRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'getMailbox', async () => getMailbox(ctx));

  serve(app, ctx, 'putMailbox', async (request) =>
    putMailbox(ctx, request.body, { staffId: staffOf(request).id, ip: request.ip }),
  );

  // The saved settings overlaid with the form's unsaved values: IT can test before saving.
  serve(app, ctx, 'testMailbox', async (request) => checkMailbox(await mailboxConfigWith(ctx, request.body)));

  serve(app, ctx, 'listMailImports', async (request) => listMailImports(ctx, request.query));
}
