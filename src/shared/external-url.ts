/*
 * The only URLs Deskside hands to the operating system (shell.openExternal) or renders as clickable
 * links: https: to a named host, and mailto:. Everything else — file:, smb:, ms-msdt:, javascript:,
 * data:, http:, custom protocol handlers — is refused, whatever its case or surrounding whitespace.
 */

import { RUSTDESK_ID_PATTERN } from './remote/remote-tool-links';

const MAX_URL_LENGTH = 4096;

/** Whether the URL may be opened outside the app. */
export function isAllowedExternalUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return false;
  // Control characters and whitespace inside a URL are how scheme checks get fooled ("java\tscript:").
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return url.pathname.length > 0 && !url.pathname.startsWith('/');
  if (url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  return url.hostname.length > 0;
}

/**
 * The one exception, for the console's "Connect with RustDesk" (issue 13): `rustdesk://` followed by a
 * RustDesk number and nothing else; any other remote-tool link must pass isAllowedExternalUrl (https:).
 * The agent's window never opens these: only the technician's console renders them.
 */
export function isAllowedRemoteToolUrl(raw: string): boolean {
  if (typeof raw !== 'string') return false;
  if (raw.startsWith('rustdesk://')) return RUSTDESK_ID_PATTERN.test(raw.slice('rustdesk://'.length));
  return isAllowedExternalUrl(raw) && raw.startsWith('https:');
}
