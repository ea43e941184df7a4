import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1 and localhost made with openssl (Debian's): `<name>.pem` and
 * `<name>-key.pem` in `dir`, valid `days` days (2 by default), its subject `CN=<cn>` (127.0.0.1 by default).
 * Clients trust it by passing `cert` as their CA.
 */
export async function selfSignedCert(
  dir: string,
  name = 'cert',
  options: { days?: number; cn?: string } = {},
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
      String(options.days ?? 2),
      '-subj',
      `/CN=${options.cn ?? '127.0.0.1'}`,
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
