/*
 * How a ticket is named in email, so that threads stay threads in every mail client and a reply finds its
 * ticket: the subject carries `[Ticket #123]`, and every message Deskside sends has a Message-ID naming the
 * ticket (and the message), with the ticket's own root id first in References. Incoming mail is matched by
 * In-Reply-To / References first (only ids under the help desk's own mail domain count), then by the
 * subject's tag.
 */

/** The tag put in a subject line for a ticket. */
export function subjectTag(ticketId: number): string {
  return `[Ticket #${ticketId}]`;
}

/** A subject with the ticket's tag (once: a reply's "Re: … [Ticket #12]" is not tagged again). */
export function taggedSubject(subject: string, ticketId: number): string {
  return ticketIdFromSubject(subject) === ticketId ? subject : `${subject} ${subjectTag(ticketId)}`;
}

/** The ticket a subject line's tag names, or null. */
export function ticketIdFromSubject(subject: string): number | null {
  const match = /\[Ticket #(\d{1,15})\]/i.exec(subject);
  return match ? safeId(match[1]!) : null;
}

/** The thread's root Message-ID for a ticket (what every message on it references first). */
export function ticketRootMessageId(ticketId: number, domain: string): string {
  return `<ticket-${ticketId}@${domain}>`;
}

/**
 * A Message-ID for one mail about a ticket; `unique` makes it unique (e.g. the outbox row id and a random
 * part), since one ticket message may be mailed to several people.
 */
export function ticketMailMessageId(ticketId: number, unique: string, domain: string): string {
  return `<ticket-${ticketId}.${unique.replace(/[^A-Za-z0-9.-]/g, '')}@${domain}>`;
}

/**
 * The ticket that message ids (an In-Reply-To value or a References list, as raw header text) name,
 * among ids under `domain` only; the last such id wins (the most recent message replied to).
 */
export function ticketIdFromMessageIds(headerValue: string, domain: string): number | null {
  const wanted = domain.toLowerCase();
  let found: number | null = null;
  for (const match of headerValue.matchAll(/<ticket-(\d{1,15})(?:\.[A-Za-z0-9.-]*)?@([^>\s]+)>/g)) {
    if (match[2]!.toLowerCase() === wanted) found = safeId(match[1]!) ?? found;
  }
  return found;
}

/** The message ids (`<…>`) in an In-Reply-To value or a References list, at most `max` of the last ones. */
export function messageIdsIn(headerValue: string, max = 50): string[] {
  return (headerValue.match(/<[^<>\s]{1,250}>/g) ?? []).slice(-max);
}

function safeId(digits: string): number | null {
  const id = Number(digits);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
