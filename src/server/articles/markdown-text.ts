/*
 * Crude Markdown → plain text for the search index and snippets. It only has to keep the words and drop
 * the syntax, so that "**VPN**" indexes as "VPN" and URLs do not flood results; it is not a renderer.
 */

/** Strips Markdown and HTML syntax, keeping the readable words. */
export function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, ' ') // fence lines: keep the code, drop the fence and its language
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links: link text
    .replace(/^\s{0,3}\[[^\]]+\]:\s*\S+.*$/gm, ' ') // reference definitions
    .replace(/^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, '') // headings, quotes, list markers
    .replace(/^\s*([-*_=]\s*){3,}$/gm, ' ') // rules and setext underlines
    .replace(/[`*_~|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How an article's text is indexed: the title three times and tags twice, so a title match outranks a body match in a single-column index. */
export function buildSearchText(title: string, tags: readonly string[], body: string): string {
  const tagText = tags.join(' ');
  return [title, title, title, tagText, tagText, stripMarkdown(body)].join('\n');
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
