import type { TestMailResponse } from '../../shared/api/mail';
import type { ServerContext } from '../context';
import { DESKSIDE_MAIL_HEADER } from './outgoing-mail';
import { isConfigured, mailIdentity, mailSettingsRow } from './mail-settings.service';
import { describeSmtpError, smtpTransport } from './smtp-transport';
import { randomBytes } from 'node:crypto';

/** Sends a test message now, outside the outbox, and says what the SMTP server answered. */
export async function sendTestMail(ctx: ServerContext, to: string): Promise<TestMailResponse> {
  const settings = await mailSettingsRow(ctx);
  if (!isConfigured(settings))
    return {
      ok: false,
      code: 'not_configured',
      message: 'Set the SMTP host and the From address first',
      response: null,
    };
  const domain = await mailIdentity(ctx).domain();
  const transport = smtpTransport(settings, 10_000);
  try {
    const info = await transport.sendMail({
      from: { name: settings.from_name, address: settings.from_address },
      to,
      subject: 'Deskside test message',
      text: `This is a test message from Deskside: mail from ${settings.host}:${settings.port} works.\n`,
      html: `<p>This is a test message from Deskside: mail from <b>${settings.host}:${settings.port}</b> works.</p>`,
      messageId: `<deskside.test.${randomBytes(6).toString('hex')}@${domain}>`,
      headers: { 'Auto-Submitted': 'auto-generated', [DESKSIDE_MAIL_HEADER]: 'test' },
    });
    return { ok: true, code: null, message: `Sent to ${to}`, response: String(info.response ?? '') };
  } catch (error) {
    const failure = describeSmtpError(error, settings);
    return { ok: false, code: failure.code, message: failure.message, response: null };
  } finally {
    transport.close();
  }
}
