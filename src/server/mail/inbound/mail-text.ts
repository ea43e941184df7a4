/*
 * The words a person wrote in a mail: the text part (or the HTML part made text, for clients that send
 * only HTML), without the quoted message they answered and without their signature. Trimming follows the
 * marks mail clients put in: "On … wrote:" (Gmail, Apple Mail, Thunderbird), Outlook's "From: … Sent: …"
 * header block and "-----Original Message-----", lines quoted with ">", the "-- " signature separator and
 * "Sent from my …" lines. When trimming would leave nothing, the untrimmed text is kept: nothing a person
 * wrote is lost to a guess.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML as readable text: blocks and breaks become new lines, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const QUOTE_HEADS = [
  /^On\b.{0,200}\bwrote:\s*$/, // Gmail, Apple Mail, Thunderbird (English)
  /^Le\b.{0,200}\ba écrit\s?:\s*$/, // French
  /^Am\b.{0,200}\bschrieb.{0,80}:\s*$/, // German
  /^-{2,}\s*Original Message\s*-{2,}$/i, // Outlook (plain)
  /^_{10,}$/, // Outlook Web's rule above the quoted header block
];
const SIGNATURE_HEADS = [/^-- ?$/, /^Sent from my \w+/i, /^Get Outlook for /i, /^Envoyé de mon /i];

/** Outlook's quoted header block: "From:" followed within three lines by "Sent:" (or "Date:"). */
function isOutlookHeader(lines: readonly string[], i: number): boolean {
  if (!/^\*?From:\*?\s/.test(lines[i]!.trim())) return false;
  return lines.slice(i + 1, i + 4).some((l) => /^\*?(Sent|Date):\*?\s/.test(l.trim()));
}

/** The new text of a reply or request: quoted history and signature removed (never everything). */
export function trimReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (QUOTE_HEADS.some((re) => re.test(line)) || isOutlookHeader(lines, i)) {
      end = i;
      break;
    }
    // A two-line Gmail attribution ("On Mon, … <a@b>\nwrote:").
    if (/^On\b/.test(line) && /^\S*.{0,100}wrote:\s*$/.test((lines[i + 1] ?? '').trim())) {
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end);
  const signature = kept.findIndex((l) => SIGNATURE_HEADS.some((re) => re.test(l.trimEnd())));
  if (signature >= 0) kept = kept.slice(0, signature);
  // Trailing ">" quotes (bottom-posting keeps the quote above; those stay).
  while (kept.length > 0 && (/^\s*>/.test(kept.at(-1)!) || kept.at(-1)!.trim() === '')) kept.pop();
  const result = kept.join('\n').trim();
  return result || text.trim();
}

/** The person's words from a parsed mail's parts. */
export function mailBodyText(parts: { text?: string | undefined; html?: string | false | undefined }): string {
  const plain = parts.text?.trim() ? parts.text : typeof parts.html === 'string' ? htmlToText(parts.html) : '';
  return trimReply(plain);
}
