/*
 * Markdown as plain text, for the server's search index and snippets and the window's list rows. It
 * only has to keep the words and drop the syntax, so that "**VPN**" reads as "VPN" and URLs do not
 * flood results; it is not a renderer (that is src/ui/Markdown.tsx).
 */

/**
 * Strips Markdown and HTML syntax, keeping the readable words. Code in fenced blocks is kept (it is
 * searchable) unless `dropCode`, for previews where a command line is noise.
 */
export function stripMarkdown(markdown: string, { dropCode = false }: { dropCode?: boolean } = {}): string {
  const source = dropCode ? markdown.replace(/```[\s\S]*?```/g, ' ') : markdown;
  return (
    source
      .replace(/```[^\n]*\n?/g, ' ') // fence lines: keep the code, drop the fence and its language
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: alt text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links: link text
      .replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, ' ') // reference definitions
      .replace(/^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, '') // headings, quotes, list markers
      .replace(/^\s*([-*_=]\s*){3,}$/gm, ' ') // rules and setext underlines
      // Emphasis and code marks against a word vanish ("**VPN**." reads "VPN."); inside a word they split it.
      .replace(/(^|[^\p{L}\p{N}`*_~])[`*_~]+|[`*_~]+(?=[^\p{L}\p{N}]|$)/gu, '$1')
      .replace(/[`*_~|]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The first words of a Markdown text as plain text (for list rows), cut at a word near `max`. */
export function plainExcerpt(markdown: string, max = 140): string {
  const text = stripMarkdown(markdown, { dropCode: true });
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)).trimEnd()}…`;
}

/** About `width` characters of plain text around the first word starting with one of the terms. */
export function excerpt(plain: string, terms: readonly string[], width = 160): string {
  if (plain.length <= width) return plain;
  const lower = plain.toLowerCase();
  let hit = -1;
  for (const term of terms) {
    const re = new RegExp(`(^|[^\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u');
    const m = re.exec(lower);
    if (m && (hit < 0 || m.index < hit)) hit = m.index + m[1]!.length;
  }
  let start = Math.max(0, hit - Math.floor(width / 3));
  if (start > 0) {
    const space = plain.indexOf(' ', start);
    start = space >= 0 && space < hit ? space + 1 : start;
  }
  let end = Math.min(plain.length, start + width);
  if (end < plain.length) {
    const space = plain.lastIndexOf(' ', end);
    end = space > start ? space : end;
  }
  return `${start > 0 ? '…' : ''}${plain.slice(start, end)}${end < plain.length ? '…' : ''}`;
}
