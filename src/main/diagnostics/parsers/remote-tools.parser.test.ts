import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decryptRustDeskId,
  normalizeMeshNodeId,
  parseIoregPlatformUuid,
  parseMeshAgentMsh,
  parseRustDeskToml,
  parseWindowsRemoteTools,
  rustDeskIdOf,
} from './remote-tools.parser';
import { secretboxOpen } from './secretbox';

const fixture = (path: string) => readFileSync(new URL(`../../../../test/fixtures/${path}`, import.meta.url), 'utf8');

const LINUX_UID = '8f3c2a0d5b7e4f9a9c1d2e3f4a5b6c7d';
const WINDOWS_GUID = '6f1d9b2c-3a4e-4b5f-8c7d-0e1f2a3b4c5d';
const MAC_UUID = 'A1B2C3D4-E5F6-4789-ABCD-0123456789EF';

describe('secretboxOpen', () => {
  // Sealed with libsodium's crypto_secretbox_easy (python3 ctypes, libsodium23), key below, nonce 0..23.
  const key = new TextEncoder().encode('4c4c4544003957108052b4c04f4e3232');
  const nonce = Uint8Array.from({ length: 24 }, (_, i) => i);
  const box = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

  it('opens what libsodium sealed, across several 64-byte blocks', () => {
    const long =
      'Go+oUbRWv33ZDq1qDFxc8yfsEV59Nmx+LbxhgzXayqOybtKDTYJoR7M/CDp2FrOXk3Uf0Vu/FkVdLr9fiytByy8FXwdCJvjHGsjrLXLmrkSkE/eDgQuQSP03gZmtaAD2R+SZAtUz/rPKmw==';
    const opened = secretboxOpen(box(long), nonce, key);
    expect(opened && Buffer.from(opened).toString()).toBe('Hello, secretbox! '.repeat(5));
  });

  it('refuses a wrong key, a wrong nonce and a flipped bit', () => {
    const sealed = box('rPY3S1BcWZjhyP5L/v/dSl67TgYnLHs1cQ==');
    expect(Buffer.from(secretboxOpen(sealed, nonce, key) ?? []).toString()).toBe('123456789');
    expect(secretboxOpen(sealed, nonce, new TextEncoder().encode('5c4c4544003957108052b4c04f4e3232'))).toBeNull();
    expect(secretboxOpen(sealed, new Uint8Array(24), key)).toBeNull();
    const flipped = sealed.slice();
    flipped[20]! ^= 1;
    expect(secretboxOpen(flipped, nonce, key)).toBeNull();
  });
});

describe('RustDesk.toml', () => {
  it('reads enc_id (FORMAT_V1) and decrypts it with the Linux machine id', () => {
    const ids = parseRustDeskToml(fixture('linux/remote-tools/RustDesk.toml'));
    expect(ids.id).toBeNull();
    expect(Buffer.from(ids.encId!.slice(2), 'base64')[0]).toBe(1); // FORMAT_V1
    expect(rustDeskIdOf(ids, LINUX_UID)).toBe('1393204812');
  });

  it('decrypts the older zero-nonce layout with a 36-character MachineGuid cut to 32 bytes', () => {
    const ids = parseRustDeskToml(fixture('windows/remote-tools/RustDesk.toml'));
    expect(rustDeskIdOf(ids, WINDOWS_GUID)).toBe('287445101');
  });

  it('decrypts the macOS file with the IOPlatformUUID from ioreg', () => {
    const uuid = parseIoregPlatformUuid(fixture('macos/remote-tools/ioreg-platform-expert.txt'));
    expect(uuid).toBe(MAC_UUID);
    expect(rustDeskIdOf(parseRustDeskToml(fixture('macos/remote-tools/RustDesk.toml')), uuid)).toBe('502117309');
  });

  it('knows nothing with another machine’s key, and never returns the encrypted text', () => {
    const ids = parseRustDeskToml(fixture('linux/remote-tools/RustDesk.toml'));
    expect(rustDeskIdOf(ids, WINDOWS_GUID)).toBeNull();
    expect(rustDeskIdOf(ids, null)).toBeNull();
    expect(decryptRustDeskId('00not base64!', LINUX_UID)).toBeNull();
  });

  it('takes the plain id of older releases', () => {
    const ids = parseRustDeskToml(fixture('linux/remote-tools/RustDesk-plain-id.toml'));
    expect(ids).toEqual({ id: '761224098', encId: null });
    expect(rustDeskIdOf(ids, null)).toBe('761224098');
  });

  it('reads basic strings too, stops at the first table and ignores the secrets', () => {
    const text = 'password = "00secret"\nid = "123 456"\n[options]\nid = \'999\'\n';
    expect(parseRustDeskToml(text)).toEqual({ id: '123 456', encId: null });
    expect(JSON.stringify(parseRustDeskToml(fixture('linux/remote-tools/RustDesk.toml')))).not.toMatch(/password|salt/);
  });
});

describe('MeshAgent', () => {
  it('reads the server and group name of a .msh, and not its MeshID or ServerID', () => {
    const msh = parseMeshAgentMsh(fixture('linux/remote-tools/meshagent.msh'));
    expect(msh).toEqual({ server: 'wss://mesh.example.com:443/agent.ashx', groupName: 'Office laptops' });
    expect(JSON.stringify(msh)).not.toMatch(/8C2E8E53|1F2E3D4C/);
  });

  it('reads the CRLF .msh of Windows and the LAN mode of a server without an address', () => {
    expect(parseMeshAgentMsh(fixture('windows/remote-tools/MeshAgent.msh')).server).toBe(
      'wss://mesh.example.com:443/agent.ashx',
    );
    expect(parseMeshAgentMsh(fixture('linux/remote-tools/meshagent-lan.msh'))).toEqual({
      server: null,
      groupName: 'Lab',
    });
  });

  it('turns every node id form into the web form', () => {
    const web = '@yBFao@02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG';
    const hex = 'fb20456a8fb4d9fe23486d92b7dc01264b7095badf04294e7398bde2072c51769bc0e50a2f54799ec3e80d32577ca1c6';
    expect(normalizeMeshNodeId('+yBFao+02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG')).toBe(web);
    expect(normalizeMeshNodeId(`node//${web}`)).toBe(web);
    expect(normalizeMeshNodeId(hex)).toBe(web);
    expect(normalizeMeshNodeId(hex.toUpperCase())).toBe(web);
    expect(normalizeMeshNodeId('short')).toBeNull();
    expect(normalizeMeshNodeId(`${web}"><script>`)).toBeNull();
  });

  it('reads the Windows script: MachineGuid and the registry NodeId', () => {
    expect(parseWindowsRemoteTools(fixture('windows/remote-tools/remote-tools.json'))).toEqual({
      machineGuid: WINDOWS_GUID,
      meshNodeIds: ['@yBFao@02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG'],
    });
    expect(parseWindowsRemoteTools(fixture('windows/remote-tools/remote-tools-no-mesh.json')).meshNodeIds).toEqual([]);
    expect(parseWindowsRemoteTools('')).toEqual({ machineGuid: null, meshNodeIds: [] });
  });
});
