/*
 * "Connect with …" links for remote-access tools IT already runs on a device (issue 13): the snapshot's
 * `remoteTools` section says which tool and which ID; IT's settings say whether to offer links and where
 * its MeshCentral server is. Every ID is checked against the tool's own format before it goes into a URL,
 * and the MeshCentral host comes from IT's setting, never from what the device reported. Zod-free: the
 * console bundles it.
 */

/** Remote-access tools the agent recognises. */
export type RemoteToolName = 'rustdesk' | 'meshcentral';

/** What a snapshot says about one tool (the `remoteTools` section's items). */
export interface RemoteToolFacts {
  tool: RemoteToolName;
  id: string | null;
  server: string | null;
  group: string | null;
  note: string | null;
}

/** IT's choices: whether to offer links, and its MeshCentral server's web address (https). */
export interface RemoteToolLinkSettings {
  enabled: boolean;
  meshCentralUrl: string | null;
}

/** One tool as the console offers it: a link when one can be built safely, else why not. */
export interface RemoteToolLink {
  tool: RemoteToolName;
  /** Button text, e.g. "Connect with RustDesk". */
  label: string;
  /** The tool's ID for this device, as the technician would type it. */
  id: string | null;
  url: string | null;
  note: string | null;
}

export const REMOTE_TOOL_TITLES: Readonly<Record<RemoteToolName, string>> = {
  rustdesk: 'RustDesk',
  meshcentral: 'MeshCentral',
};

/**
 * RustDesk's own IDs are decimal numbers (hbb_common config.rs `get_auto_id`: 29 bits of the MAC address,
 * printed in decimal). Custom and hostname IDs exist but are not linked: only digits reach a URL.
 */
export const RUSTDESK_ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/**
 * A MeshCentral node id as its web app takes it in `gotonode`: the 48-byte key hash in base64 with `@` and
 * `$` for `+` and `/` (64 characters; MeshAgent's registry `NodeId`, the server's `node//<id>`).
 */
export const MESH_NODE_ID_PATTERN = /^[A-Za-z0-9@$]{64}$/;

/** RustDesk's URI scheme: `rustdesk://<id>` opens a remote-desktop session (flutter/lib/common.dart urlLinkToCmdArgs). */
export function rustDeskUrl(id: string): string | null {
  return RUSTDESK_ID_PATTERN.test(id) ? `rustdesk://${id}` : null;
}

/** IT's MeshCentral web address as a base ending in "/", or null when it is not a plain https URL. */
export function meshCentralBase(raw: string | null): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
}

/**
 * The device's page on the MeshCentral server (its user guide: `?viewmode=10&gotonode=<node id>`; 10 is the
 * device's General tab). `@` and `$` may stand in a query unescaped (RFC 3986 §3.4), as MeshCentral expects.
 */
export function meshCentralUrl(base: string, nodeId: string): string | null {
  const root = meshCentralBase(base);
  return root && MESH_NODE_ID_PATTERN.test(nodeId) ? `${root}?viewmode=10&gotonode=${nodeId}` : null;
}

/** The host of a `wss://host:port/agent.ashx` address, or null. */
function hostOf(address: string | null): string | null {
  if (!address) return null;
  try {
    return new URL(address).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

function rustDeskLink(t: RemoteToolFacts): RemoteToolLink {
  const url = t.id ? rustDeskUrl(t.id) : null;
  const note = url
    ? null
    : t.id
      ? 'This ID is not a RustDesk number, so no link is offered; type it in RustDesk.'
      : (t.note ?? 'The RustDesk ID could not be read.');
  return { tool: 'rustdesk', label: 'Connect with RustDesk', id: t.id, url, note };
}

function meshCentralLink(t: RemoteToolFacts, settings: RemoteToolLinkSettings): RemoteToolLink {
  const base = meshCentralBase(settings.meshCentralUrl);
  const label = 'Open in MeshCentral';
  if (!base)
    return { tool: 'meshcentral', label, id: t.id, url: null, note: 'IT has not set the MeshCentral server address.' };
  if (!t.id)
    return {
      tool: 'meshcentral',
      label,
      id: null,
      url: null,
      note: t.note ?? 'The MeshCentral node id could not be read on this device; find it by name in MeshCentral.',
    };
  const url = meshCentralUrl(base, t.id);
  const reported = hostOf(t.server);
  const configured = hostOf(base);
  const note = !url
    ? 'The node id is not in MeshCentral’s format, so no link is offered.'
    : reported && configured && reported !== configured
      ? `The agent reports the server ${reported}, not ${configured}.`
      : null;
  return { tool: 'meshcentral', label, id: t.id, url, note };
}

/** The links to offer for a snapshot's remote tools under IT's settings (none when IT turned them off). */
export function remoteToolLinks(tools: readonly RemoteToolFacts[], settings: RemoteToolLinkSettings): RemoteToolLink[] {
  if (!settings.enabled) return [];
  return tools.map((t) => (t.tool === 'rustdesk' ? rustDeskLink(t) : meshCentralLink(t, settings)));
}

/** One line about a tool for summaries (agent preview, CLI, console). */
export function describeRemoteTool(t: RemoteToolFacts): string {
  const title = REMOTE_TOOL_TITLES[t.tool];
  if (t.tool === 'rustdesk') return t.id ? `${title} ID ${t.id}` : `${title} (ID unknown)`;
  const server = hostOf(t.server);
  return [title, server ? `server ${server}` : null, t.id ? 'node id known' : 'node id unknown']
    .filter(Boolean)
    .join(', ');
}
