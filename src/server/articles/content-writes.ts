import type { ServerContext } from '../context';
import { inContentTransaction, type Trx } from './content-changes.repo';

/**
 * A content write (article or announcement) in its sync-log transaction, then the news on the event bus
 * once it has committed: every connected agent hears `content.changed` and runs its delta sync at once.
 */
export async function writeContent<T>(
  ctx: Pick<ServerContext, 'db' | 'bus'>,
  what: 'articles' | 'announcements',
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  const result = await inContentTransaction(ctx.db, work);
  ctx.bus.publish({ kind: 'content', what });
  return result;
}
