/*
 * What kind of incoming message this is, before anything is made of it. Checked in this order, each on the
 * headers alone: Deskside's own mail coming back (a loop: our header, or From the help desk itself); a
 * delivery status notification (a bounce: RFC 3464's multipart/report, or a mailer daemon); an automatic
 * answer (RFC 3834's Auto-Submitted, the de-facto X-Autoreply / X-Autorespond, Precedence bulk/junk/list,
 * a mailing list's List-Id). A loop or an automatic message is never answered and never opens a ticket.
 * `X-Auto-Response-Suppress` alone says nothing: Outlook puts it on ordinary mail from people.
 */

import { DESKSIDE_MAIL_HEADER } from '../outgoing-mail';

export type MailKind = 'person' | 'loop' | 'bounce' | 'auto-reply';

/** A header lookup (lower-case names), as mailparser's `headers` map gives. */
export type HeaderLookup = (name: string) => string | null;

const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mail-delivery-subsystem)@/i;

export function classifyMail(
  header: HeaderLookup,
  from: string | null,
  helpDeskAddress: string | null,
): { kind: MailKind; reason: string | null } {
  if (header(DESKSIDE_MAIL_HEADER.toLowerCase()) !== null)
    return { kind: 'loop', reason: `It carries ${DESKSIDE_MAIL_HEADER}: Deskside sent it` };
  if (from && helpDeskAddress && from.toLowerCase() === helpDeskAddress.toLowerCase())
    return { kind: 'loop', reason: 'It is from the help desk’s own address' };

  const contentType = (header('content-type') ?? '').toLowerCase();
  if (/multipart\/report/.test(contentType) && /report-type="?delivery-status/.test(contentType))
    return { kind: 'bounce', reason: 'A delivery status notification (multipart/report)' };
  if (from && DAEMON.test(from)) return { kind: 'bounce', reason: `From ${from}` };

  const autoSubmitted = (header('auto-submitted') ?? '').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no')
    return { kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  if (header('x-autoreply') !== null || header('x-autorespond') !== null)
    return { kind: 'auto-reply', reason: 'An X-Autoreply / X-Autorespond header' };
  const precedence = (header('precedence') ?? '').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return { kind: 'auto-reply', reason: `Precedence: ${precedence}` };
  if (header('list-id') !== null) return { kind: 'auto-reply', reason: 'Mailing-list mail (List-Id)' };
  return { kind: 'person', reason: null };
}
