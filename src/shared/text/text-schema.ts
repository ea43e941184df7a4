import { z } from 'zod';
import { hasUnsafeText, UNSAFE_TEXT_MESSAGE } from './unsafe-text';

/**
 * A string that a person or a client program supplies (HTTP body, query, path, IPC argument, CLI flag):
 * NUL and unpaired surrogates are refused with a message the error handlers prefix with the field's path,
 * so SQLite and PostgreSQL see the same text. Chain it like z.string(): text().trim().min(1).max(120).
 */
export function text(): z.ZodString {
  return z.string().refine((value) => !hasUnsafeText(value), UNSAFE_TEXT_MESSAGE);
}
