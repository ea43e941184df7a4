import type { ServerContext } from '../../context';
import { jobLock } from '../../jobs/job-lock';
import { mailIdentity } from '../mail-settings.service';
import { loadMailboxConfig } from '../mailbox-settings.service';
import { outboxQueue } from '../outbox.service';
import { MailImporter } from './mail-import.service';
import { startMailboxRunner, type MailboxRunner, type MailboxRunnerState } from './mailbox-runner';

/*
 * Email in, in the one server instance holding the job (two SMTP listeners cannot share a port; two IMAP
 * readers would race for the same messages): the mailbox runner starts what IT's settings name and the
 * importer turns each message into a ticket or a reply. An instance without the lock runs the mailbox as
 * "off", and takes it over at its next check (10 s) when the holder goes away.
 */

const running = new WeakMap<ServerContext, MailboxRunner>();

/** This process's mailbox state (the SMTP listener's port for the connection test), or null where it runs none. */
export function mailInState(ctx: ServerContext): MailboxRunnerState | null {
  return running.get(ctx)?.current() ?? null;
}

/** Reads the settings again now (after a save), where this process runs the mailbox; never throws. */
export async function recheckMailIn(ctx: ServerContext): Promise<void> {
  await running
    .get(ctx)
    ?.check()
    .catch((err: unknown) => ctx.log.warn({ err }, 'mail-in: re-reading the settings failed'));
}

/** The importer with the outbox and the help desk's identity, as the job runs it (tests use it too). */
export function mailImporter(ctx: ServerContext): MailImporter {
  return new MailImporter(ctx, {
    queue: outboxQueue(ctx),
    identity: mailIdentity(ctx),
    policy: async () => {
      const config = await loadMailboxConfig(ctx);
      return { unknownSenders: config.unknownSenders, maxMessageBytes: config.maxMessageBytes };
    },
  });
}

/** Starts email in; returns the stop function. */
export function startMailInJob(ctx: ServerContext, checkEveryMs = 10_000): () => Promise<void> {
  const lock = jobLock(ctx.db, 'mail-in', (err) => ctx.log.warn({ err }, 'mail-in job lock: connection lost'));
  const runner = startMailboxRunner({
    load: async () => {
      const config = await loadMailboxConfig(ctx);
      return (await lock.held()) ? config : { ...config, mode: 'off' };
    },
    sink: mailImporter(ctx),
    log: ctx.log.child({ component: 'mail-in' }),
    checkEveryMs,
  });
  running.set(ctx, runner);
  return async () => {
    running.delete(ctx);
    await runner.close();
    await lock.release();
  };
}
