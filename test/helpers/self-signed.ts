import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1 and localhost made with openssl (Debian's): `<name>.pem` and
 * `<name>-key.pem` in `dir`. Clients trust it by passing `cert` as their CA.
 */
export async function selfSignedCert(
  dir: string,
  name = 'cert',
): Promise<{ certFile: string; keyFile: string; cert: string }> {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: await readFile(certFile, 'utf8') };
}
