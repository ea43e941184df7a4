import type { MailQueue, OutgoingMail } from '../../src/server/mail/outgoing-mail';

/** A MailQueue that keeps what was queued, deduplicating by key as the real outbox does. */
export class RecordingMailQueue implements MailQueue {
  readonly mails: OutgoingMail[] = [];

  async enqueue(mail: OutgoingMail): Promise<{ queued: boolean }> {
    if (this.mails.some((m) => m.key === mail.key)) return { queued: false };
    this.mails.push(mail);
    return { queued: true };
  }
}
