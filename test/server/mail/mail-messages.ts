import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

/*
 * Incoming messages for the email-in tests, built as mail clients build them: nodemailer's MailComposer
 * makes the MIME (text and HTML parts, attachments, folding, encodings); the headers and bodies follow
 * what Gmail, Outlook, an out-of-office responder and a mail server's DSN put in (RFC 3464 for the bounce,
 * RFC 3834 for Auto-Submitted). Hand-written raw text only where the point is a broken message.
 */

export async function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** A Gmail-style reply: text and HTML, quoted history under "On … wrote:", a signature. */
export function gmailReply(o: {
  from: string;
  to: string;
  subject: string;
  inReplyTo: string;
  text: string;
  id: string;
}) {
  const quoted = '> Please restart the VPN client and tell us if it helps.\n> \n> technician 3';
  return compose({
    from: o.from,
    to: o.to,
    subject: o.subject,
    messageId: o.id,
    inReplyTo: o.inReplyTo,
    references: [o.inReplyTo],
    text: `${o.text}\n\n-- \nDana Weiss\nAccounting, 3rd floor\n\nOn Tue, 1 Dec 2026 at 10:02, Help desk <help@acme.test> wrote:\n${quoted}\n`,
    html: `<div dir="ltr">${o.text}</div><br><div class="gmail_quote"><div class="gmail_attr">On Tue, 1 Dec 2026 at 10:02, Help desk &lt;help@acme.test&gt; wrote:<br></div><blockquote>Please restart the VPN client</blockquote></div>`,
  });
}

/** An Outlook reply: HTML only, the subject tag, Outlook's "From: … Sent: …" block above the quote. */
export function outlookReply(o: { from: string; to: string; subject: string; html: string; id: string }) {
  return compose({
    from: o.from,
    to: o.to,
    subject: o.subject,
    messageId: o.id,
    headers: { 'Thread-Topic': o.subject.replace(/^RE:\s*/i, '') },
    html:
      `<html><head><style>p{margin:0}</style></head><body><div class="WordSection1"><p class="MsoNormal">${o.html}</p>` +
      '<p class="MsoNormal">&nbsp;</p><div style="border:none;border-top:solid #E1E1E1 1.0pt">' +
      '<p class="MsoNormal"><b>From:</b> Help desk &lt;help@acme.test&gt;<br><b>Sent:</b> Tuesday, December 1, 2026 10:02 AM<br>' +
      '<b>To:</b> Sam &lt;sam@acme.test&gt;<br><b>Subject:</b> Printer on floor 2</p></div>' +
      '<p class="MsoNormal">Please restart the print spooler.</p></div></body></html>',
  });
}

/** An out-of-office answer (RFC 3834). */
export function outOfOffice(o: { from: string; to: string; id: string }) {
  return compose({
    from: o.from,
    to: o.to,
    subject: 'Automatic reply: Your request',
    messageId: o.id,
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    text: 'I am out of the office until Monday.',
  });
}

/** A delivery status notification (RFC 3464) for a mail the help desk sent. */
export function bounce(o: { to: string; id: string }): Buffer {
  const b = 'dsn-boundary-1';
  return Buffer.from(
    [
      'From: Mail Delivery Subsystem <mailer-daemon@mx.acme.test>',
      `To: ${o.to}`,
      'Subject: Delivery Status Notification (Failure)',
      `Message-ID: ${o.id}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
      '',
      `--${b}`,
      'Content-Type: text/plain',
      '',
      'Your message to gone@acme.test could not be delivered.',
      `--${b}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme.test',
      '',
      'Final-Recipient: rfc822; gone@acme.test',
      'Action: failed',
      'Status: 5.1.1',
      `--${b}--`,
      '',
    ].join('\r\n'),
  );
}

/** A multipart message cut off before its closing boundary. */
export function unclosedMultipart(o: { from: string; id: string }): Buffer {
  return Buffer.from(
    [
      `From: ${o.from}`,
      'To: help@acme.test',
      'Subject: Broken',
      `Message-ID: ${o.id}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="cut-here"',
      '',
      '--cut-here',
      'Content-Type: text/plain',
      '',
      'The start of a message that never ends',
      '--cut-here',
      'Content-Type: application/pdf; name="half.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK',
    ].join('\r\n'),
  );
}
