// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeServer } from '../../../test/fakes/console-server.fake';
import { healthySnapshot } from '../../../test/fixtures/snapshot-factory';
import { renderWithData } from '../test-render';
import { RemoteToolLinks } from './RemoteToolLinks';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const NODE = '@yBFao@02f4jSG2St9wBJktwlbrfBClOc5i94gcsUXabwOUKL1R5nsPoDTJXfKHG';
const INFO = { id: 3, deviceId: 'dev-42', collectedAt: '2026-03-12T09:00:00.000Z', rawSize: 1000, findings: [] };

function show(remoteTools: unknown[] | undefined) {
  const server = createFakeServer({
    'GET /api/v1/snapshots/3': { body: { info: INFO, snapshot: healthySnapshot(), remoteTools } },
  });
  vi.stubGlobal('fetch', server.fetch);
  return renderWithData(<RemoteToolLinks snapshotId={3} />);
}

describe('RemoteToolLinks', () => {
  it('offers "Connect with RustDesk" and "Open in MeshCentral" with the IDs', async () => {
    show([
      { tool: 'rustdesk', label: 'Connect with RustDesk', id: '1393204812', url: 'rustdesk://1393204812', note: null },
      {
        tool: 'meshcentral',
        label: 'Open in MeshCentral',
        id: NODE,
        url: `https://mesh.example.com/?viewmode=10&gotonode=${NODE}`,
        note: 'The agent reports the server agents.example.com, not mesh.example.com.',
      },
    ]);
    const rustdesk = await screen.findByRole('link', { name: 'Connect with RustDesk' });
    expect(rustdesk.getAttribute('href')).toBe('rustdesk://1393204812');
    expect(rustdesk.getAttribute('target')).toBeNull();
    const mesh = screen.getByRole('link', { name: 'Open in MeshCentral' });
    expect(mesh.getAttribute('href')).toBe(`https://mesh.example.com/?viewmode=10&gotonode=${NODE}`);
    expect(mesh.getAttribute('target')).toBe('_blank');
    expect(mesh.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.getByText('1393204812')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the RustDesk ID' })).toBeTruthy();
    expect(screen.getByText(/agents\.example\.com/)).toBeTruthy();
  });

  it('renders no link the allow-list refuses, even if a server sent one', async () => {
    show([
      { tool: 'rustdesk', label: 'Connect with RustDesk', id: '42', url: 'javascript:alert(1)', note: null },
      { tool: 'rustdesk', label: 'Connect with RustDesk', id: 'x', url: 'rustdesk://config/evil', note: null },
      {
        tool: 'meshcentral',
        label: 'Open in MeshCentral',
        id: null,
        url: null,
        note: 'The MeshCentral node id could not be read on this device; find it by name in MeshCentral.',
      },
    ]);
    expect(await screen.findByText(/could not be read/)).toBeTruthy();
    expect(screen.queryAllByRole('link')).toEqual([]);
    expect(screen.getAllByText('Connect with RustDesk')).toHaveLength(2);
  });

  it('shows nothing when the snapshot has no tools or the server predates the field', async () => {
    const view = show(undefined);
    await vi.waitFor(() => expect(view.client.getQueryState(['snapshots', 'detail', 3])?.status).toBe('success'));
    expect(view.container.innerHTML).toBe('');
  });
});
