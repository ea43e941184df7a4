import type { OutboxItem, TicketListItem, TicketThread } from '../../shared/ipc/contract';
import { table, type Style } from './style';

/** The ticket list as a table, with what still waits in the outbox. */
export function formatTickets(
  tickets: readonly TicketListItem[],
  outbox: readonly OutboxItem[],
  fromCache: boolean,
  style: Style,
): string {
  const lines: string[] = [];
  if (tickets.length === 0) lines.push('No tickets yet.');
  else {
    const rows = [['#', 'STATUS', 'PRIORITY', 'UPDATED', 'SUBJECT'].map(style.bold)];
    for (const t of tickets)
      rows.push([
        String(t.id),
        t.status,
        t.priority,
        t.updatedAt.slice(0, 16).replace('T', ' '),
        `${t.subject}${t.unread > 0 ? style.yellow(` (${t.unread} new)`) : ''}`,
      ]);
    lines.push(table(rows));
  }
  if (fromCache) lines.push(style.dim('(the help desk cannot be reached: this is the list as last seen)'));
  if (outbox.length > 0) lines.push('', formatOutbox(outbox, style));
  return lines.join('\n');
}

/** Waiting and refused tickets. */
export function formatOutbox(items: readonly OutboxItem[], style: Style): string {
  if (items.length === 0) return 'The outbox is empty: every ticket has been sent.';
  const rows = [['OUTBOX ID', 'STATE', 'TRIES', 'SUBJECT', 'NOTE'].map(style.bold)];
  for (const i of items)
    rows.push([
      i.outboxId,
      i.state === 'rejected' ? style.red(i.state) : i.state,
      String(i.attempts),
      i.subject,
      i.error ?? '',
    ]);
  return table(rows);
}

/** A ticket's conversation, oldest first. */
export function formatThread(thread: TicketThread, style: Style): string {
  const t = thread.ticket;
  const lines = [
    style.bold(`#${t.id} ${t.subject}`),
    `${t.status} · ${t.priority} · ${t.category}${t.assigneeName ? ` · ${t.assigneeName}` : ''}`,
    '',
  ];
  if (t.description) lines.push(t.description, '');
  for (const m of thread.messages) {
    const who =
      m.author.type === 'device' ? 'You' : (m.author.name ?? (m.author.type === 'staff' ? 'Help desk' : 'Deskside'));
    lines.push(`${style.bold(who)} ${style.dim(m.createdAt.slice(0, 16).replace('T', ' '))}`, m.body, '');
  }
  if (thread.messages.length === 0) lines.push(style.dim('No replies yet.'));
  return lines.join('\n').trimEnd();
}
