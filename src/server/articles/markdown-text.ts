import { stripMarkdown } from '../../shared/text/markdown-text';

/** How an article's text is indexed: the title three times and tags twice, so a title match outranks a body match in a single-column index. */
export function buildSearchText(title: string, tags: readonly string[], body: string): string {
  const tagText = tags.join(' ');
  return [title, title, title, tagText, tagText, stripMarkdown(body)].join('\n');
}
