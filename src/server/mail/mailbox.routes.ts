import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { mailInState, recheckMailIn } from './inbound/mail-in.job';
import { checkMailbox } from './inbound/mailbox-check';
import { listMailImports, retryMailImport } from './mail-imports-log.service';
import { getMailbox, mailboxConfigWith, putMailbox } from './mailbox-settings.service';

/** Email in (admins): how mail reaches the help desk, its connection test, and the import log. */
export async function mailboxRoutes(app: App, ctx: ServerContext): Promise<void> {
  // With the transport's state in this instance (after a save, the runner reads the settings again at once).
  const transport = () => {
    const state = mailInState(ctx);
    return state ? { running: state.running, error: state.lastError ?? null } : null;
  };
  serve(app, ctx, 'getMailbox', async () => ({ ...(await getMailbox(ctx)), transport: transport() }));

  serve(app, ctx, 'putMailbox', async (request) => {
    const saved = await putMailbox(ctx, request.body, { staffId: staffOf(request).id, ip: request.ip });
    await recheckMailIn(ctx);
    return { ...saved, transport: transport() };
  });

  // The saved settings overlaid with the form's unsaved values: IT can test before saving.
  serve(app, ctx, 'testMailbox', async (request) =>
    checkMailbox(await mailboxConfigWith(ctx, request.body), { runningPort: mailInState(ctx)?.port }),
  );

  serve(app, ctx, 'listMailImports', async (request) => listMailImports(ctx, request.query));
  serve(app, ctx, 'retryMailImport', async (request) => retryMailImport(ctx, request.params.id));
}
