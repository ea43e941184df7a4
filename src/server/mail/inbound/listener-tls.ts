import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { readFile, stat } from 'node:fs/promises';
import type { MailboxConfig } from './inbound';
import { errorText } from './inbound-log';

/*
 * STARTTLS for Deskside's SMTP listener: the key and certificate are PEM files on the server that IT names in
 * the settings (where certbot or their own tooling renews them). They are read when the listener starts and
 * checked to belong together; the runner restarts the listener when either file changes.
 */

export interface ListenerTls {
  key: Buffer;
  cert: Buffer;
  /** Who the certificate is for and until when, for the settings screen. */
  subject: string;
  validTo: Date;
}

/** The key and certificate IT named, read and checked; null when none is named. Throws a sentence saying what is wrong. */
export async function loadListenerTls(smtp: MailboxConfig['smtp']): Promise<ListenerTls | null> {
  if (!smtp.tlsCertFile && !smtp.tlsKeyFile) return null;
  if (!smtp.tlsCertFile || !smtp.tlsKeyFile) throw new Error('STARTTLS needs both the certificate file and its key');
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new Error(`Cannot read the TLS ${what} file ${path}: ${errorText(error)}`, { cause: error });
    }
  };
  const [cert, key] = [await read(smtp.tlsCertFile, 'certificate'), await read(smtp.tlsKeyFile, 'key')];
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new Error(`${smtp.tlsCertFile} is not a PEM certificate: ${errorText(error)}`, { cause: error });
  }
  try {
    createSecureContext({ key, cert });
  } catch (error) {
    throw new Error(`The TLS key does not go with the certificate (or is not a PEM key): ${errorText(error)}`, {
      cause: error,
    });
  }
  const subject = /CN=([^\n,]+)/.exec(x509.subject)?.[1] ?? x509.subject;
  return { key, cert, subject, validTo: new Date(x509.validTo) };
}

/** Changes when either file does (size and modification time): the runner restarts the listener then. */
export async function listenerTlsStamp(smtp: MailboxConfig['smtp']): Promise<string> {
  const files = [smtp.tlsCertFile, smtp.tlsKeyFile].filter(Boolean);
  const stamps = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => 'missing',
      ),
    ),
  );
  return stamps.join('|');
}
