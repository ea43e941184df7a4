import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { remoteToolsSection } from '../../../shared/snapshot/sections';
import { commandKey } from '../../../../test/fakes/command-runner.fake';
import { collectLive, fakePowerShell, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { IOREG_PLATFORM_COMMAND, WINDOWS_REMOTE_TOOLS_SCRIPT } from '../parsers/remote-tools.parser';
import { remoteToolsProbe } from './remote-tools.probe';

const fixture = (path: string) => readFileSync(new URL(`../../../../test/fixtures/${path}`, import.meta.url), 'utf8');
const home = homedir();
const NODE_ID = '@yBFao@02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG';

describe('remoteToolsProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(remoteToolsProbe);
    expect(remoteToolsSection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(remoteToolsProbe.budgetMs);
  });

  it('Linux: the RustDesk ID from the user’s config and MeshCentral’s server, no node id', async () => {
    const ctx = fakeProbeContext({
      platform: 'linux',
      files: {
        [`${home}/.config/rustdesk/RustDesk.toml`]: fixture('linux/remote-tools/RustDesk.toml'),
        '/etc/machine-id': '8f3c2a0d5b7e4f9a9c1d2e3f4a5b6c7d\n',
        '/usr/local/mesh_services/meshagent/meshagent.msh': fixture('linux/remote-tools/meshagent.msh'),
      },
    });
    const section = await remoteToolsProbe.collect(ctx);
    expect(remoteToolsSection.parse(section)).toEqual({
      tools: [
        { tool: 'rustdesk', id: '1393204812', server: null, group: null, note: null },
        {
          tool: 'meshcentral',
          id: null,
          server: 'wss://mesh.example.com:443/agent.ashx',
          group: 'Office laptops',
          note: expect.stringMatching(/meshagent\.db/),
        },
      ],
    });
  });

  it('Linux: the dbus machine id comes first, as the machine-uid crate reads it; a wrong one gives no ID', async () => {
    const ctx = fakeProbeContext({
      platform: 'linux',
      files: {
        [`${home}/.config/rustdesk/RustDesk.toml`]: fixture('linux/remote-tools/RustDesk.toml'),
        '/var/lib/dbus/machine-id': '00000000000000000000000000000001\n',
        '/etc/machine-id': '8f3c2a0d5b7e4f9a9c1d2e3f4a5b6c7d\n',
      },
    });
    const [rustdesk] = (await remoteToolsProbe.collect(ctx)).tools;
    expect(rustdesk).toMatchObject({ tool: 'rustdesk', id: null, note: expect.stringMatching(/encrypted/) });
  });

  it('Linux: company- and service-named MeshAgent folders are found too; nothing installed is an empty list', async () => {
    for (const path of [
      '/usr/local/mesh_services/Acme/AcmeAgent/meshagent.msh',
      '/usr/local/mesh_services/Acme/meshagent.msh',
      '/opt/tacticalmesh/meshagent.msh',
    ]) {
      const ctx = fakeProbeContext({
        platform: 'linux',
        files: { [path]: fixture('linux/remote-tools/meshagent.msh') },
      });
      expect((await remoteToolsProbe.collect(ctx)).tools, path).toMatchObject([
        { tool: 'meshcentral', group: 'Office laptops' },
      ]);
    }
    expect((await remoteToolsProbe.collect(fakeProbeContext({ platform: 'linux' }))).tools).toEqual([]);
  });

  it('Windows: MachineGuid decrypts the ID, the registry gives the node id, one PowerShell call', async () => {
    const powershell = fakePowerShell({
      [WINDOWS_REMOTE_TOOLS_SCRIPT]: fixture('windows/remote-tools/remote-tools.json'),
    });
    const ctx = fakeProbeContext({
      platform: 'win32',
      powershell,
      files: {
        'C:\\Windows\\ServiceProfiles\\LocalService\\AppData\\Roaming\\RustDesk\\config\\RustDesk.toml': fixture(
          'windows/remote-tools/RustDesk.toml',
        ),
        'C:\\Program Files\\Mesh Agent\\MeshAgent.msh': fixture('windows/remote-tools/MeshAgent.msh'),
      },
    });
    expect((await remoteToolsProbe.collect(ctx)).tools).toEqual([
      { tool: 'rustdesk', id: '287445101', server: null, group: null, note: null },
      {
        tool: 'meshcentral',
        id: NODE_ID,
        server: 'wss://mesh.example.com:443/agent.ashx',
        group: 'Front desk',
        note: null,
      },
    ]);
    expect(powershell.scripts).toHaveLength(1);
  });

  it('macOS: ioreg’s IOPlatformUUID decrypts the ID; ioreg is not run when nothing needs it', async () => {
    const path = `${home}/Library/Preferences/com.carriez.RustDesk/RustDesk.toml`;
    const ran: string[] = [];
    const io = fixture('macos/remote-tools/ioreg-platform-expert.txt');
    const ctx = fakeProbeContext({
      platform: 'darwin',
      files: { [path]: fixture('macos/remote-tools/RustDesk.toml') },
      commands: { [commandKey(...IOREG_PLATFORM_COMMAND)]: io },
    });
    const run = ctx.run.run.bind(ctx.run);
    ctx.run = {
      run: (command, args, options) => {
        ran.push(command);
        return run(command, args, options);
      },
    };
    expect((await remoteToolsProbe.collect(ctx)).tools).toEqual([
      { tool: 'rustdesk', id: '502117309', server: null, group: null, note: null },
    ]);
    expect(ran).toEqual(['ioreg']);
    ran.length = 0;
    const bare = fakeProbeContext({ platform: 'darwin', commands: { [commandKey(...IOREG_PLATFORM_COMMAND)]: io } });
    const bareRun = bare.run.run.bind(bare.run);
    bare.run = { run: (c, a, o) => (ran.push(c), bareRun(c, a, o)) };
    expect((await remoteToolsProbe.collect(bare)).tools).toEqual([]);
    expect(ran).toEqual([]);
  });
});
