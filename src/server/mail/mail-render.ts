import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { isMailKind, MAIL_PLACEHOLDERS, type MailKind, type MailTemplateText } from '../../shared/mail/mail-kinds';
import { fillPlaceholders, unknownPlaceholders } from '../../shared/mail/mail-template-render';
import { badRequest } from '../errors';

/*
 * Turns a template and its values into the subject and the two parts of a mail. The HTML part comes from
 * micromark — the parser under the console's react-markdown renderer (which the server, React-free, cannot
 * import) — in its safe mode: raw HTML is escaped, javascript:/data: links are dropped; images become their
 * alt text, as in the console (no tracking pixels). Values are escaped before rendering (see
 * mail-template-render.ts).
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** 400 naming every placeholder the kind does not know. */
export function checkPlaceholders(kind: MailKind, template: MailTemplateText): void {
  const unknown = unknownPlaceholders([template.subject, template.body], MAIL_PLACEHOLDERS[kind]);
  if (unknown.length > 0)
    throw badRequest(
      'unknown_placeholder',
      `Unknown placeholder${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `{{${n}}}`).join(', ')}. ` +
        `This template can use: ${MAIL_PLACEHOLDERS[kind].map((n) => `{{${n}}}`).join(', ')}`,
      { unknown },
    );
}

/** Markdown to safe HTML. */
export function markdownToHtml(markdown: string): string {
  const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  return html.replace(/<img\s[^>]*?alt="([^"]*)"[^>]*>/g, (_m, alt: string) => (alt ? `[image: ${alt}]` : '[image]'));
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A whole HTML document around the rendered body, with a small footer (plain styles: mail clients). */
function htmlDocument(bodyHtml: string, footer: { text: string; url: string } | null): string {
  const foot = footer
    ? `<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 8px"><p style="color:#777;font-size:12px"><a href="${escapeHtml(footer.url)}">${escapeHtml(footer.text)}</a></p>`
    : '';
  return `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Roboto,sans-serif;font-size:14px;line-height:1.5;color:#222">${bodyHtml}${foot}</body></html>`;
}

/** Renders a template with values; `footer` is the "manage these emails" line every notification carries. */
export function renderMail(
  kind: string,
  template: MailTemplateText,
  values: Readonly<Record<string, string>>,
  footer: { text: string; url: string } | null,
): RenderedMail {
  if (!isMailKind(kind)) throw new Error(`unknown mail kind ${kind}`);
  const subject = fillPlaceholders(template.subject, values, false)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const text =
    fillPlaceholders(template.body, values, false) + (footer ? `\n\n--\n${footer.text}: ${footer.url}\n` : '\n');
  const html = htmlDocument(markdownToHtml(fillPlaceholders(template.body, values, true)), footer);
  return { subject, text, html };
}
