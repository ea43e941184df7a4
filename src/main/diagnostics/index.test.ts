import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linuxMachineIdHash } from './index';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const reader = (files: Record<string, string>) => (path: string) => {
  if (!Object.hasOwn(files, path)) throw new Error('ENOENT');
  return files[path]!;
};

describe('linuxMachineIdHash (node-machine-id without its shell)', () => {
  it('hashes the first line of the D-Bus id, then /etc/machine-id, else the host name', () => {
    const both = reader({ '/var/lib/dbus/machine-id': 'ABC123\n', '/etc/machine-id': 'def456\n' });
    expect(linuxMachineIdHash(both, () => 'host')).toBe(sha('abc123'));
    const etcOnly = reader({ '/etc/machine-id': 'def456\n' });
    expect(linuxMachineIdHash(etcOnly, () => 'host')).toBe(sha('def456'));
    expect(linuxMachineIdHash(reader({}), () => 'My Host')).toBe(sha('myhost'));
  });
});
