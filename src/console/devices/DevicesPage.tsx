import { useEffect, useState, type ReactElement } from 'react';
import { useLocation, useSearch } from 'wouter';
import { useDevices } from '../api/devices.queries';
import type { QueryOf } from '../api/http';
import { HealthBadge, LoadError, OnlineBadge } from '../components/Badges';
import { Pager } from '../components/Pager';
import { formatRelative } from '../../shared/format';
import { useNow } from '../lib/time';
import './devices.css';

const PAGE = 50;

/** The device inventory: hostname search, health, presence and OS filters, pages of 50. */
export function DevicesPage(): ReactElement {
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const q = search.get('q') ?? '';
  const health = search.get('health') ?? '';
  const os = search.get('os') ?? '';
  const online = search.get('online') ?? '';
  const offset = Math.max(0, Number(search.get('offset')) || 0);
  const [text, setText] = useState(q);
  const now = useNow(30_000);
  const devices = useDevices({
    q: q || undefined,
    // The URL's values as they are: the server refuses one it does not know, and the page says why.
    health: (health || undefined) as QueryOf<'listDevices'>['health'],
    os: (os || undefined) as QueryOf<'listDevices'>['os'],
    online: (online || undefined) as QueryOf<'listDevices'>['online'],
    limit: PAGE,
    offset,
  });

  const go = (changes: Record<string, string | number>) => {
    const params = new URLSearchParams(search);
    for (const [k, value] of Object.entries(changes)) {
      if (value === '' || value === 0) params.delete(k);
      else params.set(k, String(value));
    }
    const text = params.toString();
    navigate(`/devices${text ? `?${text}` : ''}`, { replace: true });
  };
  useEffect(() => {
    if (text === q) return;
    const timer = window.setTimeout(() => go({ q: text.trim(), offset: 0 }), 300);
    return () => window.clearTimeout(timer);
  }, [text]);

  const total = devices.data?.total ?? 0;
  return (
    <section className="page" aria-labelledby="devices-title">
      <header className="page-header">
        <h1 id="devices-title">Devices</h1>
        {devices.data && <span className="muted">{total.toLocaleString('en')} devices</span>}
      </header>
      <div className="filters" role="search">
        <label className="filter filter-search">
          <span>Host name</span>
          <input
            className="input"
            type="search"
            placeholder="Search host names"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="filter">
          <span>Health</span>
          <select className="input" value={health} onChange={(e) => go({ health: e.target.value, offset: 0 })}>
            <option value="">Any</option>
            <option value="critical">Critical</option>
            <option value="warning">Warning</option>
            <option value="healthy">Healthy</option>
            <option value="unknown">Unknown</option>
          </select>
        </label>
        <label className="filter">
          <span>Presence</span>
          <select className="input" value={online} onChange={(e) => go({ online: e.target.value, offset: 0 })}>
            <option value="">Any</option>
            <option value="true">Online now</option>
            <option value="false">Offline</option>
          </select>
        </label>
        <label className="filter">
          <span>OS</span>
          <select className="input" value={os} onChange={(e) => go({ os: e.target.value, offset: 0 })}>
            <option value="">Any</option>
            <option value="win32">Windows</option>
            <option value="darwin">macOS</option>
            <option value="linux">Linux</option>
            <option value="other">Other</option>
          </select>
        </label>
      </div>
      {devices.isError && <LoadError message={devices.error.message} onRetry={() => void devices.refetch()} />}
      <div className="card queue-card">
        {devices.isPending && <p className="empty">Loading devices…</p>}
        {devices.data?.devices.length === 0 && <p className="empty">No devices match.</p>}
        {devices.data && devices.data.devices.length > 0 && (
          <table className="table" aria-label="Devices">
            <thead>
              <tr>
                <th>Host name</th>
                <th>Operating system</th>
                <th>Health</th>
                <th>Open tickets</th>
                <th>Last seen</th>
                <th>Agent</th>
              </tr>
            </thead>
            <tbody>
              {devices.data.devices.map((d) => (
                <tr key={d.id} className={d.revoked ? 'muted' : ''}>
                  <td>
                    <a href={`/devices/${d.id}`}>{d.hostname}</a>
                    {d.revoked && <span className="badge inline-badge">revoked</span>}
                  </td>
                  <td>{[d.os.name, d.os.version].filter(Boolean).join(' ') || d.os.platform}</td>
                  <td>
                    <HealthBadge health={d.healthStatus} />
                  </td>
                  <td>
                    {d.openTickets > 0 ? (
                      <a href={`/?device=${d.id}`}>{d.openTickets}</a>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                  <td>
                    <OnlineBadge online={d.online} />{' '}
                    <span className="muted small">{d.online ? 'now' : formatRelative(d.lastSeenAt, now)}</span>
                  </td>
                  <td className="mono small">{d.agentVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <Pager label="Device pages" total={total} page={PAGE} offset={offset} onOffset={(o) => go({ offset: o })} />
    </section>
  );
}
