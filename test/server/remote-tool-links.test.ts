import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot } from '../fixtures/snapshot-factory';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

/*
 * Issue 13: a snapshot's remoteTools section (RustDesk ID, MeshCentral agent) is stored as sent on SQLite and
 * PostgreSQL, and the snapshot as the console reads it carries the "Connect with …" links IT's settings allow.
 */

const NODE = '@yBFao@02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG';

function withTools(): Snapshot {
  const snap = healthySnapshot();
  snap.probes.remoteTools = { status: 'ok', durationMs: 3, error: null };
  snap.sections.remoteTools = {
    tools: [
      { tool: 'rustdesk', id: '1393204812', server: null, group: null, note: null },
      {
        tool: 'meshcentral',
        id: NODE,
        server: 'wss://evil.example.net:443/agent.ashx',
        group: 'Office laptops',
        note: null,
      },
    ],
  };
  return snap;
}

describeEachDatabase('remote tool links', (dialect) => {
  let s: TestServer;
  let off: TestServer;
  let device: EnrolledDevice;
  beforeAll(async () => {
    [s, off] = await Promise.all([
      createTestServer(dialect, { meshCentralUrl: 'https://mesh.example.com' }),
      createTestServer(dialect, { remoteToolLinks: 'off', meshCentralUrl: 'https://mesh.example.com' }),
    ]);
    device = await s.enroll();
  });
  afterAll(() => Promise.all([s.close(), off.close()]));

  const store = async (server: TestServer, dev: EnrolledDevice, snap: Snapshot) => {
    const res = await server.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: { ...dev.headers, 'content-type': 'application/json' },
      payload: JSON.stringify(snap),
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { snapshotId: number }).snapshotId;
  };
  const read = (server: TestServer, id: number) =>
    server.inject({ method: 'GET', url: `/api/v1/snapshots/${id}`, headers: server.tech.headers });

  it('stores the section and answers it unchanged, with links built on IT’s MeshCentral address', async () => {
    const sent = withTools();
    const id = await store(s, device, sent);
    const res = await read(s, id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.snapshot.sections.remoteTools).toEqual(sent.sections.remoteTools);
    expect(body.remoteTools).toEqual([
      { tool: 'rustdesk', label: 'Connect with RustDesk', id: '1393204812', url: 'rustdesk://1393204812', note: null },
      {
        tool: 'meshcentral',
        label: 'Open in MeshCentral',
        id: NODE,
        // The device said evil.example.net: the link still goes to IT's server, and the note says so.
        url: `https://mesh.example.com/?viewmode=10&gotonode=${NODE}`,
        note: 'The agent reports the server evil.example.net, not mesh.example.com.',
      },
    ]);
  });

  it('gives no link for an ID that is not the tool’s format', async () => {
    const snap = withTools();
    snap.sections.remoteTools!.tools[0]!.id = '123"><img src=x>';
    const body = (await read(s, await store(s, device, snap))).json();
    expect(body.remoteTools[0]).toMatchObject({ url: null, id: '123"><img src=x>' });
  });

  it('refuses a section outside its schema, and a snapshot without it has no links', async () => {
    const bad = withTools() as unknown as { sections: { remoteTools: { tools: unknown[] } } };
    bad.sections.remoteTools.tools = [{ tool: 'teamviewer', id: '1', server: null, group: null, note: null }];
    const res = await s.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: { ...device.headers, 'content-type': 'application/json' },
      payload: JSON.stringify(bad),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('sections.remoteTools.tools.0.tool');
    const plain = (await read(s, await store(s, device, healthySnapshot()))).json();
    expect(plain.remoteTools).toEqual([]);
  });

  it('offers no links where IT turned them off, though the section is still shown', async () => {
    const other = await off.enroll();
    const body = (await read(off, await store(off, other, withTools()))).json();
    expect(body.remoteTools).toEqual([]);
    expect(body.snapshot.sections.remoteTools.tools).toHaveLength(2);
  });
});
