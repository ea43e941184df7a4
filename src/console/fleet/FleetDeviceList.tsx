import type { ReactElement } from 'react';
import { useFleetDevices } from '../api/fleet.queries';
import type { QueryOf } from '../api/http';
import { HealthBadge, LoadError } from '../components/Badges';
import { formatRelative } from '../../shared/format';
import { offsetOf, osText } from './fleet-url';
import { Pager } from '../components/Pager';

const PAGE = 50;

/** The URL's device filters, or null when none is set (then the list is not shown). */
export function deviceFiltersOf(search: URLSearchParams): QueryOf<'fleetDevices'> | null {
  const query = {
    // The URL's values as they are: the server refuses one it does not know, and the page says why.
    platform: (search.get('platform') || undefined) as QueryOf<'fleetDevices'>['platform'],
    os: search.get('os') || undefined,
    osVersion: search.get('osVersion') || undefined,
    finding: (search.get('finding') || undefined) as QueryOf<'fleetDevices'>['finding'],
    online: (search.get('online') || undefined) as QueryOf<'fleetDevices'>['online'],
  };
  return Object.values(query).some((v) => v !== undefined) ? query : null;
}

function describe(query: QueryOf<'fleetDevices'>): string {
  const parts = [
    query.os ? [query.os, query.osVersion].filter(Boolean).join(' ') : query.platform,
    query.finding ? `with ${query.finding}` : undefined,
    query.online === 'true' ? 'online' : query.online === 'false' ? 'offline' : undefined,
  ];
  return parts.filter(Boolean).join(', ');
}

/** The devices matching the fleet page's filters (OS, finding, online), with links to their pages. */
export function FleetDeviceList({
  filters,
  search,
  go,
  now,
}: {
  filters: QueryOf<'fleetDevices'>;
  search: URLSearchParams;
  go: (changes: Record<string, string | number>) => void;
  now: number;
}): ReactElement {
  const offset = offsetOf(search.get('doffset'));
  const devices = useFleetDevices({ ...filters, limit: PAGE, offset });
  const title = `Devices: ${describe(filters)}`;
  return (
    <section className="card" id="fleet-devices" aria-labelledby="fleet-devices-title">
      <div className="row fleet-list-header">
        <h2 id="fleet-devices-title">{title}</h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => go({ platform: '', os: '', osVersion: '', finding: '', online: '', doffset: 0 })}
        >
          Clear filter
        </button>
      </div>
      {devices.isError && <LoadError message={devices.error.message} onRetry={() => void devices.refetch()} />}
      {devices.isPending && <p className="empty">Loading devices…</p>}
      {devices.data?.devices.length === 0 && <p className="empty">No devices match.</p>}
      {devices.data && devices.data.devices.length > 0 && (
        <table className="table" aria-label={title}>
          <thead>
            <tr>
              <th scope="col">Host name</th>
              <th scope="col">Operating system</th>
              <th scope="col">Health</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {devices.data.devices.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`/devices/${d.id}`}>{d.hostname}</a>
                </td>
                <td>{osText(d.os)}</td>
                <td>
                  <HealthBadge health={d.healthStatus} />
                </td>
                <td className="muted">{d.online ? 'online' : formatRelative(d.lastSeenAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {devices.data && (
        <Pager
          label="Device list pages"
          total={devices.data.total}
          page={PAGE}
          offset={offset}
          onOffset={(o) => go({ doffset: o })}
        />
      )}
    </section>
  );
}
