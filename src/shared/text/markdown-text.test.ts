import { describe, expect, it } from 'vitest';
import { excerpt, plainExcerpt, stripMarkdown } from './markdown-text';

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

describe('stripMarkdown', () => {
  it('keeps the words of every construct and drops the syntax', () => {
    expect(
      stripMarkdown(
        '# VPN\n> **Note:** use _the_ client\n- [guide](https://x.example/a) ![map](https://x.example/m.png)\n\n[ref]: https://x.example/r\n\n---\n| a | b |',
      ),
    ).toBe('VPN Note: use the client guide map a b');
  });

  it('keeps code (it is searchable) but not its fences; drops HTML and comments', () => {
    expect(stripMarkdown('```powershell\nGet-Service spooler\n```\n<b>bold</b><!-- hidden -->')).toBe(
      'Get-Service spooler bold',
    );
    expect(stripMarkdown('```\ncode\n```', { dropCode: true })).toBe('');
  });

  it('splits words joined by marks inside them', () => {
    expect(stripMarkdown('snake_case and a*b')).toBe('snake case and a b');
  });
});

describe('excerpt', () => {
  const text = `${'lorem ipsum '.repeat(30)}the printer spooler stopped ${'dolor sit '.repeat(30)}`.trim();

  it('returns short text whole', () => {
    expect(excerpt('short text', ['x'])).toBe('short text');
  });

  it('centres on the first term, cut at words, with ellipses where text was left out', () => {
    const out = excerpt(text, ['spool'], 60);
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out).toContain('spooler');
    expect(out.length).toBeLessThanOrEqual(62);
  });

  it('matches terms only at the start of a word', () => {
    expect(excerpt(text, ['ooler'], 60).startsWith('lorem')).toBe(true);
  });
});
