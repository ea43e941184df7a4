import { useState, type ReactElement } from 'react';
import { useDeviceCommands, useDeviceLocalActions } from '../api/commands.queries';
import { RemoteAccess } from '../remote/RemoteAccess';
import { RemoteToolLinks } from '../remote/RemoteToolLinks';
import { useDevice, useDeviceSnapshots } from '../api/devices.queries';
import { useTicketList } from '../api/tickets.queries';
import { useTitle } from '../app/Shell';
import { CommandList } from '../components/CommandList';
import { HealthBadge, LoadError, OnlineBadge, PriorityBadge, SlaBadge, StatusBadge } from '../components/Badges';
import { formatBytes, formatDateTime, formatRelative } from '../../shared/format';
import { useNow } from '../lib/time';
import { Findings } from '../snapshots/SnapshotViewer';
import { KeyValues } from '../snapshots/parts';
import { DeviceNetworkSection } from '../network/lazy';
import './devices.css';

const HISTORY_PAGE = 20;

function DeviceTickets({ deviceId }: { deviceId: string }): ReactElement {
  const now = useNow(15_000);
  const list = useTicketList({
    device: deviceId,
    status: ['new', 'open', 'pending', 'resolved', 'closed'],
    limit: 20,
  });
  if (list.isPending) return <p className="muted">Loading tickets…</p>;
  if (list.isError) return <LoadError message={list.error.message} />;
  if (list.data.tickets.length === 0) return <p className="muted">No tickets from this device.</p>;
  return (
    <>
      <table className="table" aria-label="Tickets of this device">
        <thead>
          <tr>
            <th>#</th>
            <th>Subject</th>
            <th>Status</th>
            <th>Priority</th>
            <th>SLA</th>
          </tr>
        </thead>
        <tbody>
          {list.data.tickets.map((t) => (
            <tr key={t.id}>
              <td className="mono muted">#{t.id}</td>
              <td>
                <a href={`/tickets/${t.id}`}>{t.subject}</a>
              </td>
              <td>
                <StatusBadge status={t.status} />
              </td>
              <td>
                <PriorityBadge priority={t.priority} />
              </td>
              <td>
                <SlaBadge ticket={t} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        <a href={`/?device=${deviceId}&status=all`}>All {list.data.total} in the queue →</a>
      </p>
    </>
  );
}

/**
 * What technicians ran on the device, from any ticket, and what the employee ran with "Fix it", newest
 * first (live, like the ticket's list).
 */
function DeviceCommands({ deviceId }: { deviceId: string }): ReactElement {
  const commands = useDeviceCommands(deviceId);
  const localRuns = useDeviceLocalActions(deviceId);
  return (
    <CommandList
      query={commands}
      label="Commands on this device"
      empty="Nothing has been run on this device."
      showTicket
      localRuns={localRuns.data}
    />
  );
}

function SnapshotHistory({ deviceId }: { deviceId: string }): ReactElement {
  const [offset, setOffset] = useState(0);
  const history = useDeviceSnapshots(deviceId, { limit: HISTORY_PAGE, offset });
  if (history.isPending) return <p className="muted">Loading snapshots…</p>;
  if (history.isError) return <LoadError message={history.error.message} />;
  const { snapshots, total } = history.data;
  if (snapshots.length === 0) return <p className="muted">No snapshots yet.</p>;
  return (
    <>
      <table className="table" aria-label="Snapshot history">
        <thead>
          <tr>
            <th>Snapshot</th>
            <th>Collected</th>
            <th>Findings</th>
            <th>Size</th>
            <th>Compare</th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s, i) => (
            <tr key={s.id}>
              <td>
                <a href={`/snapshots/${s.id}`}>#{s.id}</a>
              </td>
              <td>{formatDateTime(s.collectedAt)}</td>
              <td>
                {s.findings.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  s.findings.map((f) => f.title).join(', ')
                )}
              </td>
              <td className="muted">{formatBytes(s.rawSize)}</td>
              <td>
                {offset + i < total - 1 ? (
                  <a href={`/snapshots/${s.id}/changes`} aria-label={`What changed in snapshot ${s.id}`}>
                    What changed
                  </a>
                ) : (
                  <span className="muted">first</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > HISTORY_PAGE && (
        <div className="pager">
          <button
            type="button"
            className="btn btn-small"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - HISTORY_PAGE))}
          >
            Newer
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={offset + HISTORY_PAGE >= total}
            onClick={() => setOffset(offset + HISTORY_PAGE)}
          >
            Older
          </button>
        </div>
      )}
    </>
  );
}

/** One device: identity, health findings, its tickets, its network and its snapshot history. */
export function DevicePage({ params }: { params: Record<string, string> }): ReactElement {
  const id = params.id ?? '';
  const now = useNow(30_000);
  const device = useDevice(id);
  useTitle(device.data ? device.data.hostname : 'Device');
  if (device.isPending)
    return (
      <section className="page">
        <p className="muted" role="status">
          Loading device…
        </p>
      </section>
    );
  if (device.isError) {
    return (
      <section className="page">
        <h1>Device</h1>
        <LoadError
          message={
            device.error.status === 404 || device.error.status === 400
              ? 'This device does not exist.'
              : device.error.message
          }
          onRetry={() => void device.refetch()}
        />
      </section>
    );
  }
  const d = device.data;
  return (
    <section className="page" aria-labelledby="device-title">
      <header className="page-header">
        <a href="/devices" className="btn btn-small" aria-label="Back to devices">
          ← Devices
        </a>
        <h1 id="device-title">{d.hostname}</h1>
        <HealthBadge health={d.healthStatus} />
        <OnlineBadge online={d.online} />
        {d.lastSnapshotId && (
          <a className="btn btn-small" href={`/snapshots/${d.lastSnapshotId}`}>
            Latest snapshot
          </a>
        )}
      </header>
      <div className="device-layout">
        <section className="card" aria-label="Device facts">
          <h2>Device</h2>
          <KeyValues
            items={[
              ['Operating system', [d.os.name, d.os.version].filter(Boolean).join(' ') || d.os.platform],
              ['Last seen', `${formatRelative(d.lastSeenAt, now)} (${formatDateTime(d.lastSeenAt)})`],
              ['Enrolled', formatDateTime(d.enrolledAt)],
              ['Agent', d.agentVersion],
              ['Groups', d.groups.join(', ') || '—'],
              ['Open tickets', String(d.openTickets)],
              ['Machine id', <span className="mono small">{d.machineId}</span>],
              ['Status', d.revoked ? 'token revoked' : 'active'],
            ]}
          />
        </section>
        <Findings findings={d.findings} />
      </div>
      <section className="card" aria-labelledby="device-tickets">
        <h2 id="device-tickets">Tickets</h2>
        <DeviceTickets deviceId={d.id} />
      </section>
      <DeviceNetworkSection deviceId={d.id} />
      {!d.revoked && d.lastSnapshotId !== null && <RemoteToolLinks snapshotId={d.lastSnapshotId} />}
      {!d.revoked && <RemoteAccess deviceId={d.id} ticketId={null} />}
      <section className="card" aria-labelledby="device-commands">
        <h2 id="device-commands">Commands</h2>
        <DeviceCommands deviceId={d.id} />
      </section>
      <section className="card" aria-labelledby="device-snaps">
        <h2 id="device-snaps">Snapshot history</h2>
        <SnapshotHistory deviceId={d.id} />
      </section>
    </section>
  );
}
