import { MESH_NODE_ID_PATTERN } from '../../../shared/remote/remote-tool-links';
import type { CommandSpec } from './parse-utils';
import { cleanText, isRecord, parsePowerShellJson, splitLines, stripBom } from './parse-utils';
import { secretboxOpen } from './secretbox';

/*
 * RustDesk's and MeshCentral's own files, read for the ID a technician connects with (issue 13). Only the
 * ID-bearing keys are read: RustDesk's password, salt and key pair and MeshCentral's MeshID (which lets
 * anyone who holds it enroll agents into the group) never leave these functions.
 */

/** The top-level `id` and `enc_id` of a RustDesk.toml (hbb_common src/config.rs, `struct Config`). */
export interface RustDeskConfigIds {
  id: string | null;
  encId: string | null;
}

/** A TOML string value, literal ('…') or basic ("…", with the escapes an ID or base64 could carry). */
function tomlString(raw: string): string | null {
  const text = raw.trim();
  const literal = /^'([^'\n]*)'\s*(#.*)?$/.exec(text);
  if (literal) return literal[1]!;
  const basic = /^"((?:[^"\\\n]|\\.)*)"\s*(#.*)?$/.exec(text);
  if (!basic) return null;
  try {
    return JSON.parse(`"${basic[1]!}"`) as string;
  } catch {
    return null;
  }
}

/** Reads `id` and `enc_id` from the file's root table (everything before the first `[table]`). */
export function parseRustDeskToml(text: string): RustDeskConfigIds {
  const found: RustDeskConfigIds = { id: null, encId: null };
  for (const line of splitLines(text)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) break;
    const pair = /^(id|enc_id)\s*=\s*(.*)$/.exec(trimmed);
    if (!pair) continue;
    const value = tomlString(pair[2]!);
    if (!value) continue;
    if (pair[1] === 'id') found.id = value;
    else found.encId = value;
  }
  return found;
}

/**
 * RustDesk's key for its stored secrets: the machine uid's bytes, cut or zero-padded to 32 bytes
 * (hbb_common password_security.rs `symmetric_crypt`: `get_uuid()` resized to secretbox::KEYBYTES).
 */
function rustDeskKey(machineUid: string): Uint8Array {
  const key = new Uint8Array(32);
  key.set(new TextEncoder().encode(machineUid).subarray(0, 32));
  return key;
}

/**
 * Decrypts an `enc_id` ("00" + base64): either FORMAT_V1 (a 0x01 byte, the 24-byte nonce, the box) or the
 * older layout (the box alone, under an all-zero nonce), as hbb_common's `open_secretbox_payload` tries
 * them. Null when the key is wrong (another machine's file) or the value is not an encrypted ID.
 */
export function decryptRustDeskId(encId: string, machineUid: string): string | null {
  if (!encId.startsWith('00') || !/^[A-Za-z0-9+/]+={0,2}$/.test(encId.slice(2))) return null;
  const data = new Uint8Array(Buffer.from(encId.slice(2), 'base64'));
  const key = rustDeskKey(machineUid);
  let plain: Uint8Array | null = null;
  if (data[0] === 1 && data.length >= 1 + 24 + 16) plain = secretboxOpen(data.subarray(25), data.subarray(1, 25), key);
  plain ??= secretboxOpen(data, new Uint8Array(24), key);
  return plain ? cleanText(new TextDecoder().decode(plain), 128) : null;
}

/** The RustDesk ID a config file holds, given the machine uid its encrypted form needs (null: unknown). */
export function rustDeskIdOf(ids: RustDeskConfigIds, machineUid: string | null): string | null {
  if (ids.encId && machineUid) {
    const id = decryptRustDeskId(ids.encId, machineUid);
    if (id) return id;
  }
  // Releases before the encrypted form, and files written by an installer, keep the plain `id`.
  return ids.id && !ids.id.startsWith('00') ? cleanText(ids.id, 128) : null;
}

/** The machine uid on Linux (machine-uid crate: /var/lib/dbus/machine-id, else /etc/machine-id), trimmed. */
export const LINUX_MACHINE_ID_PATHS = ['/var/lib/dbus/machine-id', '/etc/machine-id'] as const;

/** macOS: the machine uid is the IOPlatformUUID that ioreg prints (machine-uid crate, macos module). */
export const IOREG_PLATFORM_COMMAND: CommandSpec = ['ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']];

/** The IOPlatformUUID from `ioreg -rd1 -c IOPlatformExpertDevice`. */
export function parseIoregPlatformUuid(text: string): string | null {
  for (const line of splitLines(text)) {
    const match = /"IOPlatformUUID"\s*=\s*"([^"]+)"/.exec(line);
    if (match) return match[1]!.trim() || null;
  }
  return null;
}

/**
 * Windows, in one PowerShell call: the machine uid RustDesk keys on (HKLM\SOFTWARE\Microsoft\Cryptography
 * MachineGuid, as the machine-uid crate reads it) and the NodeId MeshAgent keeps under
 * HKLM\SOFTWARE\Open Source\<service name> (`Mesh Agent` by default, `MeshAgent2` in older agents).
 * The MachineGuid is used here to decrypt and never leaves the agent.
 */
export const WINDOWS_REMOTE_TOOLS_SCRIPT = [
  '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false);',
  String.raw`$g = (Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name MachineGuid -ErrorAction SilentlyContinue).MachineGuid;`,
  String.raw`$n = @(Get-ChildItem -LiteralPath 'HKLM:\SOFTWARE\Open Source' -ErrorAction SilentlyContinue | ForEach-Object {`,
  '$v = (Get-ItemProperty -LiteralPath $_.PSPath -Name NodeId -ErrorAction SilentlyContinue).NodeId;',
  'if ($v) { [pscustomobject]@{ Service = $_.PSChildName; NodeId = [string]$v } } });',
  '[pscustomobject]@{ MachineGuid = $g; MeshNodes = $n } | ConvertTo-Json -Compress -Depth 3',
].join(' ');

export interface WindowsRemoteToolFacts {
  machineGuid: string | null;
  meshNodeIds: string[];
}

/** Reads the script's JSON; anything malformed yields "nothing known". */
export function parseWindowsRemoteTools(text: string): WindowsRemoteToolFacts {
  const [root] = parsePowerShellJson(text);
  if (!root) return { machineGuid: null, meshNodeIds: [] };
  const guid = typeof root.MachineGuid === 'string' ? root.MachineGuid.trim() : '';
  const nodes = Array.isArray(root.MeshNodes) ? root.MeshNodes : isRecord(root.MeshNodes) ? [root.MeshNodes] : [];
  const meshNodeIds = nodes
    .map((n: unknown) => (isRecord(n) ? normalizeMeshNodeId(n.NodeId) : null))
    .filter((id): id is string => id !== null);
  return { machineGuid: guid || null, meshNodeIds };
}

/**
 * A node id in MeshCentral's web form (64 characters of base64 with `@` and `$`), from any form agents and
 * servers write it in: `node//<id>`, standard base64 (`+`, `/`), or 96 hex digits (`meshagent -nodeid`).
 */
export function normalizeMeshNodeId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let text = value.trim().replace(/^node\/[^/]*\//, '');
  if (/^[0-9a-fA-F]{96}$/.test(text)) text = Buffer.from(text, 'hex').toString('base64');
  text = text.replaceAll('+', '@').replaceAll('/', '$').replace(/=+$/, '');
  return MESH_NODE_ID_PATTERN.test(text) ? text : null;
}

/** What a MeshAgent .msh tells (MeshAgent readme, "MSH format": `key=value` lines). */
export interface MeshAgentSettings {
  /** `MeshServer`: the agent's server, `wss://host:port/agent.ashx`. */
  server: string | null;
  /** `MeshName`: the device group's display name. */
  groupName: string | null;
}

/** Parses a meshagent.msh; MeshID and ServerID are deliberately not kept (see the file comment). */
export function parseMeshAgentMsh(text: string): MeshAgentSettings {
  const values = new Map<string, string>();
  for (const line of splitLines(stripBom(text))) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    values.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const server = values.get('MeshServer') ?? null;
  return {
    // "local" means LAN mode (the agent finds the server by multicast): there is no address to report.
    server: server && /^wss?:\/\/[^\s]+$/i.test(server) ? cleanText(server, 512) : null,
    groupName: cleanText(values.get('MeshName'), 256),
  };
}
