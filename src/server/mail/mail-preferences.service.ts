import { EMPLOYEE_MAIL_KINDS, MAIL_KIND_LABELS, STAFF_MAIL_KINDS, type MailKind } from '../../shared/mail/mail-kinds';
import type { ServerContext } from '../context';
import { mailDb } from './mail-db';
import { selectPreferences, upsertPreference } from './mail-settings.repo';

/* Who wants which mail: every kind is on until its recipient turns it off. */

export const staffOwner = (id: number) => `staff:${id}`;
export const employeeOwner = (email: string) => `employee:${email.trim().toLowerCase()}`;

/** The owner's choice for each kind of their audience. */
export async function preferencesOf(ctx: ServerContext, owner: string) {
  const kinds = owner.startsWith('staff:') ? STAFF_MAIL_KINDS : EMPLOYEE_MAIL_KINDS;
  const chosen = await selectPreferences(mailDb(ctx.db), owner);
  return kinds.map((kind) => ({ kind, label: MAIL_KIND_LABELS[kind], enabled: chosen.get(kind) ?? true }));
}

/** Records choices; kinds of the other audience are ignored. */
export async function setPreferences(
  ctx: ServerContext,
  owner: string,
  changes: readonly { kind: MailKind; enabled: boolean }[],
) {
  const kinds: readonly string[] = owner.startsWith('staff:') ? STAFF_MAIL_KINDS : EMPLOYEE_MAIL_KINDS;
  for (const change of changes)
    if (kinds.includes(change.kind))
      await upsertPreference(mailDb(ctx.db), owner, change.kind, change.enabled, ctx.now());
  return preferencesOf(ctx, owner);
}

/** Whether the owner gets this kind. */
export async function wants(ctx: ServerContext, owner: string, kind: MailKind): Promise<boolean> {
  return (await selectPreferences(mailDb(ctx.db), owner)).get(kind) ?? true;
}
