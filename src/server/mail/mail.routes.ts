import { audit } from '../audit/audit.service';
import { staffOf } from '../auth/guards';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { verifyMailLink } from './mail-links';
import { employeeOwner, preferencesOf, setPreferences, staffOwner } from './mail-preferences.service';
import { rateFromMail, ratingInvite } from './mail-rating.service';
import { mailSettingsRow, putMailSettings, toMailSettingsDto } from './mail-settings.service';
import { listTemplates, previewTemplate, putTemplate, resetTemplate } from './mail-templates.service';
import { sendTestMail } from './mail-test.service';
import { listOutbox, retryNow } from './outbox.service';

/** Email out: settings, test message, templates, outbox (admins); preferences (staff); the mail links' pages (public, signed). */
export async function mailRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'getMailSettings', async () => toMailSettingsDto(await mailSettingsRow(ctx)));

  serve(app, ctx, 'putMailSettings', async (request) => {
    const settings = await putMailSettings(ctx, request.body);
    const { password, ...rest } = request.body;
    await audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action: 'settings.mail.update',
      targetType: 'settings',
      targetId: 'mail',
      // Never the password itself: only whether it changed.
      details: { ...rest, passwordChanged: password !== undefined },
      ip: request.ip,
    });
    return settings;
  });

  serve(app, ctx, 'sendTestMail', async (request) => sendTestMail(ctx, request.body.to));

  serve(app, ctx, 'listMailTemplates', async () => ({ templates: await listTemplates(ctx) }));

  serve(app, ctx, 'putMailTemplate', async (request) => {
    const template = await putTemplate(ctx, request.params.kind, request.body);
    await audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action: 'settings.mail_template.update',
      targetType: 'mail_template',
      targetId: request.params.kind,
      details: {},
      ip: request.ip,
    });
    return template;
  });

  serve(app, ctx, 'resetMailTemplate', async (request) => resetTemplate(ctx, request.params.kind));

  serve(app, ctx, 'previewMailTemplate', async (request) => previewTemplate(request.params.kind, request.body));

  serve(app, ctx, 'listOutbox', async (request) => listOutbox(ctx, request.query.view));

  serve(app, ctx, 'retryOutboxMail', async (request) => retryNow(ctx, request.params.id));

  serve(app, ctx, 'getMyMailPreferences', async (request) => ({
    preferences: await preferencesOf(ctx, staffOwner(staffOf(request).id)),
  }));

  serve(app, ctx, 'putMyMailPreferences', async (request) => ({
    preferences: await setPreferences(ctx, staffOwner(staffOf(request).id), request.body.preferences),
  }));

  const employeeOf = async (token: string) =>
    verifyMailLink((await mailSettingsRow(ctx)).link_secret, token, 'emails', ctx.now()).e;

  serve(app, ctx, 'getMailSubscription', async (request) => {
    const email = await employeeOf(request.query.token);
    return { email, preferences: await preferencesOf(ctx, employeeOwner(email)) };
  });

  serve(app, ctx, 'putMailSubscription', async (request) => {
    const email = await employeeOf(request.body.token);
    return { email, preferences: await setPreferences(ctx, employeeOwner(email), request.body.preferences) };
  });

  serve(app, ctx, 'getRatingInvite', async (request) => ratingInvite(ctx, request.query.token));

  serve(app, ctx, 'submitMailRating', async (request) =>
    rateFromMail(ctx, request.body.token, request.body.satisfaction, request.body.comment),
  );
}
