import type { FastifyBaseLogger } from 'fastify';

/** The part of the server's logger the email-in transports use (a pino child logger in the server). */
export type InboundLog = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** A short, one-line text for an error; never includes anything but the error's own message and code. */
export function errorText(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; responseText?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const extra = typeof e?.responseText === 'string' && e.responseText !== message ? `: ${e.responseText}` : '';
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return `${message}${extra}${code}`.replace(/\s+/g, ' ').slice(0, 300);
}
