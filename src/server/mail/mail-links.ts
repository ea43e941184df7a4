import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbidden } from '../errors';

/*
 * The links in mail to employees carry a signed token instead of a sign-in: `rate` names a ticket and the
 * requester's address (valid 30 days), `emails` names an address (no expiry: the footer of an old mail
 * still works). HMAC-SHA256 with the settings row's secret; a changed or forged token is refused (403).
 */

export type MailLinkClaims = { p: 'rate'; t: number; e: string; x: number } | { p: 'emails'; e: string };

export const RATE_LINK_TTL_MS = 30 * 24 * 3_600_000;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** A token for the claims. */
export function signMailLink(secret: string, claims: MailLinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claims of a token of purpose `p`; 403 when forged, of another purpose, or expired. */
export function verifyMailLink<P extends MailLinkClaims['p']>(
  secret: string,
  token: string,
  p: P,
  now: number,
): Extract<MailLinkClaims, { p: P }> {
  const refuse = () =>
    forbidden('This link is not valid (changed, or too old). Use the link in a newer email.', 'bad_link');
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) throw refuse();
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refuse();
  let claims: MailLinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as MailLinkClaims;
  } catch {
    throw refuse();
  }
  if (claims.p !== p) throw refuse();
  if (claims.p === 'rate' && !(claims.x > now)) throw refuse();
  return claims as Extract<MailLinkClaims, { p: P }>;
}
