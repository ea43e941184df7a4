import { describe, expect, it } from 'vitest';
import { isAllowedRemoteToolUrl } from '../external-url';
import {
  describeRemoteTool,
  meshCentralBase,
  meshCentralUrl,
  remoteToolLinks,
  rustDeskUrl,
  type RemoteToolFacts,
} from './remote-tool-links';

const NODE = '@yBFao@02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG';
const rustdesk = (id: string | null): RemoteToolFacts => ({
  tool: 'rustdesk',
  id,
  server: null,
  group: null,
  note: null,
});
const mesh = (id: string | null, server = 'wss://mesh.example.com:443/agent.ashx'): RemoteToolFacts => ({
  tool: 'meshcentral',
  id,
  server,
  group: 'Office',
  note: null,
});
const ON = { enabled: true, meshCentralUrl: 'https://mesh.example.com' };

describe('remote tool links', () => {
  it('links a RustDesk number with rustdesk://<id>, and nothing else', () => {
    expect(rustDeskUrl('1393204812')).toBe('rustdesk://1393204812');
    for (const bad of ['', '0123', 'abc123', '12 34', '123/../x', '1234567890123456789', '123?password=x'])
      expect(rustDeskUrl(bad), bad).toBeNull();
  });

  it('links a MeshCentral node on IT’s server only, never the host the device reported', () => {
    expect(meshCentralUrl('https://mesh.example.com', NODE)).toBe(
      `https://mesh.example.com/?viewmode=10&gotonode=${NODE}`,
    );
    expect(meshCentralUrl('https://example.com/mesh', NODE)).toBe(
      `https://example.com/mesh/?viewmode=10&gotonode=${NODE}`,
    );
    expect(meshCentralUrl('https://mesh.example.com', `${NODE.slice(1)}&`)).toBeNull();
    for (const bad of [
      'http://mesh.example.com',
      'javascript:alert(1)',
      'https://u:p@mesh.example.com',
      'https://x/?a=1',
    ])
      expect(meshCentralBase(bad), bad).toBeNull();
  });

  it('builds the list the console shows, with a reason where there is no link', () => {
    const links = remoteToolLinks(
      [
        rustdesk('287445101'),
        rustdesk('office-pc-7'),
        mesh(NODE, 'wss://agents.example.com:443/agent.ashx'),
        mesh(null),
      ],
      ON,
    );
    expect(links.map((l) => [l.label, l.url])).toEqual([
      ['Connect with RustDesk', 'rustdesk://287445101'],
      ['Connect with RustDesk', null],
      ['Open in MeshCentral', `https://mesh.example.com/?viewmode=10&gotonode=${NODE}`],
      ['Open in MeshCentral', null],
    ]);
    expect(links[1]!.note).toMatch(/not a RustDesk number/);
    expect(links[2]!.note).toMatch(/agents\.example\.com/);
    expect(links[3]!.note).toMatch(/node id could not be read/);
    for (const l of links) if (l.url) expect(isAllowedRemoteToolUrl(l.url), l.url).toBe(true);
  });

  it('offers nothing when IT turned links off, and no MeshCentral link without its address', () => {
    expect(remoteToolLinks([rustdesk('287445101')], { enabled: false, meshCentralUrl: null })).toEqual([]);
    const [link] = remoteToolLinks([mesh(NODE)], { enabled: true, meshCentralUrl: null });
    expect(link).toMatchObject({ url: null, note: expect.stringMatching(/not set/) });
  });

  it('describes a tool in one line', () => {
    expect(describeRemoteTool(rustdesk('287445101'))).toBe('RustDesk ID 287445101');
    expect(describeRemoteTool(mesh(null))).toBe('MeshCentral, server mesh.example.com, node id unknown');
  });
});

describe('isAllowedRemoteToolUrl', () => {
  it('allows rustdesk:// with a number and https links only', () => {
    expect(isAllowedRemoteToolUrl('rustdesk://287445101')).toBe(true);
    expect(isAllowedRemoteToolUrl(`https://mesh.example.com/?viewmode=10&gotonode=${NODE}`)).toBe(true);
    for (const bad of [
      'rustdesk://287445101?password=x',
      'rustdesk://config/abc',
      'rustdesk://',
      'RUSTDESK://287445101',
      'mailto:it@example.com',
      'javascript:alert(1)',
      'http://mesh.example.com/',
    ])
      expect(isAllowedRemoteToolUrl(bad), bad).toBe(false);
  });
});
