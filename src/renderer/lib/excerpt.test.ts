import { describe, expect, it } from 'vitest';
import { plainExcerpt } from './excerpt';

describe('plainExcerpt', () => {
  it('strips Markdown syntax, keeping the words', () => {
    expect(
      plainExcerpt(
        '## Why\n1. Open **Settings → Printers**.\n2. Remove `Floor2-HP`.\n\nSee [the guide](https://x.example).',
      ),
    ).toBe('Why Open Settings → Printers. Remove Floor2-HP. See the guide.');
  });
  it('drops raw HTML and code blocks', () => {
    expect(plainExcerpt('<script>x</script>Hello\n```\ncode\n```\nworld')).toBe('x Hello world');
  });
  it('cuts long text at a word with an ellipsis', () => {
    const out = plainExcerpt('word '.repeat(100), 30);
    expect(out.length).toBeLessThanOrEqual(31);
    expect(out.endsWith('word…')).toBe(true);
  });
});
