import { describe, expect, it } from 'vitest';
import { operand } from './argv';
import { createOutputSink } from './output-sink';

describe('createOutputSink', () => {
  it('keeps everything under the cap and streams each chunk as it is', () => {
    const chunks: string[] = [];
    const sink = createOutputSink(100, (c) => chunks.push(c));
    sink.write('abc');
    sink.write('def\n');
    expect(sink.text()).toBe('abcdef\n');
    expect(sink.truncated()).toBe(false);
    expect(chunks).toEqual(['abc', 'def\n']);
  });

  it('cuts at the cap in UTF-8 bytes without splitting a character, and notes it once', () => {
    const chunks: string[] = [];
    const sink = createOutputSink(10, (c) => chunks.push(c));
    sink.write('ab');
    sink.write('äöü€x'); // 2+2+2+3+1 bytes: only "äöü" fits after "ab" (8 bytes), "€" would pass 10
    sink.write('more');
    expect(sink.truncated()).toBe(true);
    const [body] = sink.text().split('\n[output truncated');
    expect(body).toBe('abäöü');
    expect(sink.text()).toMatch(/\(8 bytes dropped\)\n$/);
    expect(chunks.filter((c) => c.includes('[output truncated'))).toHaveLength(1);
    expect(chunks.join('')).not.toContain('more');
  });
});

describe('operand', () => {
  it('lets host names, addresses and ids through', () => {
    for (const value of ['example.com', '10.0.0.1', '::1', 'fe80::1', 'cups.service', 'Mozilla.Firefox', 'g++']) {
      expect(operand(value, 'x')).toEqual({ ok: true, value });
    }
  });

  it('refuses anything a program could read as an option or a second command', () => {
    for (const value of ['-x', '--help', '-', 'a;b', '$(id)', '`id`', 'a\nb', 'a b', '..', 'a/../b', '', 'a|b']) {
      const result = operand(value, 'host');
      expect(result.ok, value).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/^host: /);
    }
  });
});
