import { describe, expect, it } from 'vitest';
import { createStaffRequestSchema } from '../api/auth';
import { createTicketRequestSchema } from '../api/tickets';
import { dispatchIpc } from '../ipc/dispatch';
import { hasUnsafeText, sanitizeMachineDocument, sanitizeMachineText, UNSAFE_TEXT_MESSAGE } from './unsafe-text';
import { text } from './text-schema';

describe('unsafe text', () => {
  it.each([
    ['a\u0000b', true],
    ['\uD800', true],
    ['x\uDC00', true],
    ['\uDC00\uD800', true],
    ['😀 emoji (a surrogate pair)', false],
    ['plain, accentué, 中文', false],
    ['', false],
  ])('%j holds unsafe text: %s', (value, unsafe) => {
    expect(hasUnsafeText(value)).toBe(unsafe);
    expect(text().safeParse(value).success).toBe(!unsafe);
  });

  it('replaces each NUL and unpaired surrogate with U+FFFD and keeps pairs', () => {
    expect(sanitizeMachineText('a\u0000b\uD800c\uDC00😀')).toBe('a\uFFFDb\uFFFDc\uFFFD😀');
    const clean = 'nothing to do';
    expect(sanitizeMachineText(clean)).toBe(clean);
  });

  it('repairs a document deeply, keys too, copying only what changed', () => {
    const untouched = { list: [1, 'ok'] };
    const doc = { a: { 'k\u0000': ['x\uD800', 2, null] }, untouched };
    const out = sanitizeMachineDocument(doc);
    expect(out).toEqual({ a: { 'k\uFFFD': ['x\uFFFD', 2, null] }, untouched });
    expect(out.untouched).toBe(untouched);
    expect(doc.a).toEqual({ 'k\u0000': ['x\uD800', 2, null] });
    const clean = { b: ['fine'] };
    expect(sanitizeMachineDocument(clean)).toBe(clean);
  });

  it('keeps a __proto__ key an own key and leaves the prototype alone', () => {
    const doc = JSON.parse('{"__proto__":{"polluted":"x\\u0000"}}') as Record<string, unknown>;
    const out = sanitizeMachineDocument(doc);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not overflow the stack on absurd nesting', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"\\u0000"' + ']'.repeat(100_000)) as unknown;
    expect(() => sanitizeMachineDocument(deep)).not.toThrow();
  });

  it('is refused in the shared request schemas, with the field in the path', () => {
    const staff = createStaffRequestSchema.safeParse({
      email: 'a@example.com',
      name: 'Ann\u0000',
      role: 'admin',
      password: 'long enough password',
    });
    expect(staff.error?.issues).toEqual([expect.objectContaining({ path: ['name'], message: UNSAFE_TEXT_MESSAGE })]);
    const ticket = createTicketRequestSchema.safeParse({ subject: 'x\uD800', category: 'other', urgency: 'low' });
    expect(ticket.error?.issues[0]?.path).toEqual(['subject']);
  });

  it('is refused across IPC with a message naming the argument', async () => {
    const result = await dispatchIpc({} as never, 'tickets:reply', { ticketId: 1, body: 'hi\u0000' });
    expect(result).toEqual({ ok: false, error: { code: 'invalid_argument', message: `body: ${UNSAFE_TEXT_MESSAGE}` } });
  });
});
