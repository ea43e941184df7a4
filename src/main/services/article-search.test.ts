import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentArticle } from './api-client';
import { createArticleIndex, plainText, type ArticleIndex } from './article-search';

const article = (id: number, title: string, body: string, tags: string[] = []): AgentArticle => ({
  id,
  title,
  body,
  tags,
  findingCodes: [],
  updatedAt: '2026-01-01T00:00:00Z',
  publishedAt: '2026-01-01T00:00:00Z',
});

const ARTICLES = [
  article(
    1,
    'Free up disk space',
    'Empty the **trash** and remove old downloads. Use the [storage settings](https://example.com).',
    ['disk-space'],
  ),
  article(2, 'Connect to the office Wi-Fi', 'Choose the network *Acme-Corp* and sign in with your account.', [
    'wifi',
    'network',
  ]),
  article(3, 'Printer shows offline', 'Turn the printer off and on. Check the disk of toner.', ['printing']),
  article(4, 'Restart your computer', 'Restarting installs pending updates and frees memory.', ['uptime']),
];

describe('article search', () => {
  let index: ArticleIndex;
  beforeAll(async () => {
    index = await createArticleIndex(ARTICLES);
  });

  it('ranks title matches above body matches', () => {
    const hits = index.search('disk', 5);
    expect(hits.map((h) => h.id)).toEqual([1, 3]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? 0);
  });

  it('matches the word being typed as a prefix, and forgives typos', () => {
    expect(index.search('prin', 5)[0]?.id).toBe(3);
    expect(index.search('computr', 5)[0]?.id).toBe(4);
    expect(index.search('wifi', 5)[0]?.id).toBe(2);
  });

  it('finds by tag and falls back to any word when not every word matches', () => {
    expect(index.search('uptime', 5).map((h) => h.id)).toEqual([4]);
    expect(index.search('printer banana', 5).map((h) => h.id)).toEqual([3]);
  });

  it('gives a plain-text snippet around the match and respects the limit', () => {
    const [hit] = index.search('trash', 1);
    expect(hit?.snippet).toContain('Empty the trash');
    expect(hit?.snippet).not.toContain('**');
    expect(index.search('the', 2)).toHaveLength(2);
    expect(index.search('   ', 5)).toEqual([]);
    expect(plainText('# Title\n[link](https://x) `code`')).toBe('Title link code');
  });
});
