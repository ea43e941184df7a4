import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

const render = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown', () => {
  it('keeps ordinary Markdown', () => {
    const html = render('Open **Settings**, then `Printers`:\n\n1. one\n2. two');
    expect(html).toContain('<strong>Settings</strong>');
    expect(html).toContain('<code>Printers</code>');
    expect(html).toContain('<ol>');
  });

  it('drops raw HTML: no script, img, iframe or event handler reaches the markup', () => {
    const html = render(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src="https://example.com"></iframe>\n\n<a href="javascript:alert(2)">raw</a>',
    );
    expect(html).not.toMatch(/<script|<img|<iframe|onerror|javascript:/i);
  });

  it('links only https: and mailto:, everything else becomes plain text', () => {
    const html = render(
      '[a](javascript:alert(1)) [b](file:///etc/passwd) [c](http://example.com) [d](data:text/html,x) [ok](https://example.com) [mail](mailto:help@example.com)',
    );
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://example.com', 'mailto:help@example.com']);
    expect(html).toContain('<span class="blocked-link">a</span>');
    expect(html).not.toMatch(/javascript:|file:|data:/);
  });

  it('never fetches images, even from https: — the alt text is shown instead', () => {
    const html = render('![tracking pixel](https://example.com/p.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: tracking pixel]');
  });
});

describe('Markdown links', () => {
  it('opens allowed links in a new tab without an opener when the caller does not take them', () => {
    const html = render('[guide](https://example.com/guide)');
    expect(html).toContain('href="https://example.com/guide"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('hands links to the caller instead of a new tab when it takes them', () => {
    const html = renderToStaticMarkup(
      createElement(Markdown, { text: '[guide](https://example.com/guide)', onOpenLink: () => {} }),
    );
    expect(html).toContain('href="https://example.com/guide"');
    expect(html).not.toContain('target=');
  });

  it('shows an image as its alt text only, never a link to it, whatever its URL', () => {
    for (const url of ['https://example.com/d.png', 'file:///c:/secret.png']) {
      const html = render(`![diagram](${url})`);
      expect(html).toBe('<div class="markdown"><p><span class="blocked-image">[image: diagram]</span></p></div>');
    }
  });
});

describe('Fix-it links (issue 12)', () => {
  const body = 'Printing stuck? [Restart the print spooler](deskside-fix:printing.restart-spooler).';

  it('never become a link: without a renderer (the console) the words show, marked', () => {
    const html = render(body);
    expect(html).not.toContain('href=');
    expect(html).toContain(
      '<span class="fix-it-link" title="A “Fix it” button in the tray window (printing.restart-spooler)">',
    );
    expect(html).toContain('Restart the print spooler</span>');
  });

  it('are handed to the caller’s renderer with the action they name (the tray window’s button)', () => {
    const seen: string[] = [];
    const html = renderToStaticMarkup(
      createElement(Markdown, {
        text: body,
        renderFixIt: (action, children) => (seen.push(action), createElement('button', { type: 'button' }, children)),
      }),
    );
    expect(seen).toEqual(['printing.restart-spooler']);
    expect(html).toContain('<button type="button">Restart the print spooler</button>');
  });
});
