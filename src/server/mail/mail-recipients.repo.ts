import type { MailKysely } from './mail-db';

/* What notifications read from other domains' tables: the ticket, the message, staff and their groups. */

export function selectTicketForMail(db: MailKysely, id: number) {
  return db
    .selectFrom('tickets')
    .select([
      'id',
      'subject',
      'status',
      'priority',
      'requester_name',
      'requester_email',
      'assignee_id',
      'group_name',
      'first_response_due_at',
      'resolution_due_at',
      'first_response_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}
export type TicketForMail = NonNullable<Awaited<ReturnType<typeof selectTicketForMail>>>;

export function selectMessageForMail(db: MailKysely, id: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'ticket_id', 'author_type', 'author_id', 'author_name', 'body', 'internal', 'read_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface StaffRecipient {
  id: number;
  email: string;
  name: string;
}

export function selectActiveStaff(db: MailKysely, id: number): Promise<StaffRecipient | undefined> {
  return db
    .selectFrom('staff_users')
    .select(['id', 'email', 'name'])
    .where('id', '=', id)
    .where('active', '=', 1)
    .executeTakeFirst();
}

export function selectGroupMembers(db: MailKysely, group: string): Promise<StaffRecipient[]> {
  return db
    .selectFrom('staff_users')
    .select(['id', 'email', 'name'])
    .where('group_name', '=', group)
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
}
