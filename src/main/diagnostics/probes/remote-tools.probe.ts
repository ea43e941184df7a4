import { homedir } from 'node:os';
import type { RemoteTool, Sections } from '../../../shared/snapshot';
import {
  IOREG_PLATFORM_COMMAND,
  LINUX_MACHINE_ID_PATHS,
  parseIoregPlatformUuid,
  parseMeshAgentMsh,
  parseRustDeskToml,
  parseWindowsRemoteTools,
  rustDeskIdOf,
  WINDOWS_REMOTE_TOOLS_SCRIPT,
  type RustDeskConfigIds,
} from '../parsers/remote-tools.parser';
import { defineProbe, type ProbeContext } from '../probe';
import { runCommand } from './probe-utils';

/*
 * RustDesk and the MeshCentral agent, where IT already runs them: the ID a technician connects with, read
 * from the tools' own files, so the ticket can offer "Connect with …" (issue 13).
 *
 * RustDesk's config (hbb_common src/config.rs: `Config::path` is directories-next's config dir for the app
 * "RustDesk", patched by `patch()`; the file is `RustDesk.toml`):
 *   Linux    ~/.config/rustdesk/RustDesk.toml
 *   Windows  %APPDATA%\RustDesk\config\RustDesk.toml; the service (LocalSystem's profile patched to
 *            C:\Windows\ServiceProfiles\LocalService) …\AppData\Roaming\RustDesk\config\RustDesk.toml
 *   macOS    ~/Library/Preferences/com.carriez.RustDesk/RustDesk.toml ("Application Support" patched to
 *            "Preferences"; the root service's copy under /var/root)
 * Current releases store the ID encrypted (`enc_id`) under the machine uid, which is read here only to
 * decrypt it. MeshAgent's .msh sits next to its binary (MeshCentral's installers: /usr/local/mesh_services/
 * meshagent on Linux and macOS, /usr/local/mesh for older installs, /opt/tacticalmesh for Tactical RMM,
 * C:\Program Files\Mesh Agent on Windows). Its node id is a hash of the agent's certificate, kept in
 * meshagent.db (root only) on Linux and macOS: there the section reports the server and says so.
 */

type RemoteTools = Sections['remoteTools'];

const TOML_MAX = 256 * 1024;
const MSH_MAX = 64 * 1024;
const MESH_SERVICES = '/usr/local/mesh_services';

function rustDeskPaths(ctx: ProbeContext, home: string): string[] {
  switch (ctx.platform) {
    case 'linux':
      return [`${home}/.config/rustdesk/RustDesk.toml`];
    case 'darwin':
      return [
        `${home}/Library/Preferences/com.carriez.RustDesk/RustDesk.toml`,
        '/var/root/Library/Preferences/com.carriez.RustDesk/RustDesk.toml',
      ];
    case 'win32':
      return [
        `${home}\\AppData\\Roaming\\RustDesk\\config\\RustDesk.toml`,
        'C:\\Windows\\ServiceProfiles\\LocalService\\AppData\\Roaming\\RustDesk\\config\\RustDesk.toml',
      ];
    default:
      return [];
  }
}

async function meshAgentPaths(ctx: ProbeContext): Promise<string[]> {
  if (ctx.platform === 'win32') return ['C:\\Program Files\\Mesh Agent\\MeshAgent.msh'];
  if (ctx.platform !== 'linux' && ctx.platform !== 'darwin') return [];
  // Installs may name their folders (`--companyName`, `--meshServiceName`): mesh_services/<company>/<service>/.
  const list = async (folder: string) => ((await ctx.files.list(folder)) ?? []).slice(0, 16);
  const companies = (await list(MESH_SERVICES)).filter((name) => name !== 'meshagent');
  const named = await Promise.all(
    companies.map(async (company) => [
      `${MESH_SERVICES}/${company}/meshagent.msh`,
      ...(await list(`${MESH_SERVICES}/${company}`)).map(
        (service) => `${MESH_SERVICES}/${company}/${service}/meshagent.msh`,
      ),
    ]),
  );
  return [
    `${MESH_SERVICES}/meshagent/meshagent.msh`,
    ...named.flat(),
    '/usr/local/mesh/meshagent.msh',
    '/opt/tacticalmesh/meshagent.msh',
  ];
}

/** The first of these files that can be read, parsed. */
async function firstReadable<T>(ctx: ProbeContext, paths: string[], max: number, parse: (t: string) => T) {
  for (const path of paths) {
    const text = await ctx.files.readText(path, max);
    if (text !== null) return parse(text);
  }
  return null;
}

interface MachineFacts {
  machineUid: string | null;
  meshNodeIds: string[];
}

/** The machine uid RustDesk keys on and, on Windows, MeshAgent's registry node ids. */
async function machineFacts(ctx: ProbeContext): Promise<MachineFacts> {
  switch (ctx.platform) {
    case 'linux': {
      for (const path of LINUX_MACHINE_ID_PATHS) {
        const text = (await ctx.files.readText(path, 256))?.trim();
        if (text) return { machineUid: text, meshNodeIds: [] };
      }
      return { machineUid: null, meshNodeIds: [] };
    }
    case 'darwin': {
      const out = await runCommand(ctx, IOREG_PLATFORM_COMMAND, 2000);
      return { machineUid: out ? parseIoregPlatformUuid(out.stdout) : null, meshNodeIds: [] };
    }
    case 'win32': {
      const result = await ctx.powershell.run(WINDOWS_REMOTE_TOOLS_SCRIPT, { timeoutMs: 3000 });
      const facts = result.ok ? parseWindowsRemoteTools(result.value) : { machineGuid: null, meshNodeIds: [] };
      return { machineUid: facts.machineGuid, meshNodeIds: facts.meshNodeIds };
    }
    default:
      return { machineUid: null, meshNodeIds: [] };
  }
}

function rustDesk(configs: RustDeskConfigIds[], machine: MachineFacts): RemoteTool {
  const id = configs.map((c) => rustDeskIdOf(c, machine.machineUid)).find((found) => found !== null) ?? null;
  const note = id
    ? null
    : 'RustDesk is set up here, but its ID is stored encrypted with a key this agent could not read.';
  return { tool: 'rustdesk', id, server: null, group: null, note };
}

/** Remote-access tools on this device, each with the ID to connect with where it can be read. */
export const remoteToolsProbe = defineProbe({
  section: 'remoteTools',
  budgetMs: 3000,
  platforms: ['linux', 'darwin', 'win32'],
  async collect(ctx): Promise<RemoteTools> {
    const home = homedir();
    const rustDeskConfigs = (
      await Promise.all(rustDeskPaths(ctx, home).map((p) => firstReadable(ctx, [p], TOML_MAX, parseRustDeskToml)))
    ).filter((c): c is RustDeskConfigIds => c !== null && (c.id !== null || c.encId !== null));
    const msh = await firstReadable(ctx, await meshAgentPaths(ctx), MSH_MAX, parseMeshAgentMsh);
    // The machine uid (a secret of this machine) is only looked up when a RustDesk config needs it.
    const needsMachine = rustDeskConfigs.some((c) => c.encId) || (msh !== null && ctx.platform === 'win32');
    const machine = needsMachine ? await machineFacts(ctx) : { machineUid: null, meshNodeIds: [] };
    const tools: RemoteTool[] = [];
    if (rustDeskConfigs.length > 0) tools.push(rustDesk(rustDeskConfigs, machine));
    if (msh) {
      const id = machine.meshNodeIds[0] ?? null;
      const note = id
        ? null
        : ctx.platform === 'win32'
          ? 'MeshAgent’s node id was not in the registry.'
          : 'MeshAgent keeps its node id in meshagent.db, which only root can read: find the device by name.';
      tools.push({ tool: 'meshcentral', id, server: msh.server, group: msh.groupName, note });
    }
    return { tools };
  },
});
