import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useFleetSoftware } from '../api/fleet.queries';
import { HealthBadge, LoadError } from '../components/Badges';
import { formatRelative } from '../../shared/format';
import { FLEET_TEXT_MAX } from '../../shared/fleet-fields';
import { offsetOf, osText } from './fleet-url';
import { Pager } from '../components/Pager';

const PAGE = 50;

/**
 * "Which computers have Chrome older than 120": a package's whole name (any case) and an optional
 * version, the matching devices with links to their pages, and the versions the fleet has.
 */
export function SoftwareSearch({
  search,
  go,
  now,
}: {
  search: URLSearchParams;
  go: (changes: Record<string, string | number>) => void;
  now: number;
}): ReactElement {
  const name = search.get('package') ?? '';
  const below = search.get('below') ?? '';
  const offset = offsetOf(search.get('soffset'));
  const [nameText, setNameText] = useState(name);
  const [belowText, setBelowText] = useState(below);
  // Back and forward (or a link) change the URL: the form follows it.
  useEffect(() => setNameText(name), [name]);
  useEffect(() => setBelowText(below), [below]);
  const result = useFleetSoftware(name ? { name, versionBelow: below || undefined, limit: PAGE, offset } : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ package: nameText.trim(), below: belowText.trim(), soffset: 0 });
  };
  const data = result.data;

  return (
    <section className="card" aria-labelledby="fleet-software-title">
      <h2 id="fleet-software-title">Installed software</h2>
      <form className="filters" role="search" aria-label="Find installed software" onSubmit={submit}>
        <label className="filter filter-search">
          <span>Package name</span>
          <input
            className="input"
            name="package"
            required
            maxLength={FLEET_TEXT_MAX}
            placeholder="e.g. google-chrome-stable"
            aria-describedby="fleet-software-hint"
            value={nameText}
            onChange={(e) => setNameText(e.target.value)}
          />
        </label>
        <label className="filter">
          <span>Older than version</span>
          <input
            className="input"
            name="below"
            maxLength={FLEET_TEXT_MAX}
            placeholder="any version"
            value={belowText}
            onChange={(e) => setBelowText(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary">
          Find devices
        </button>
      </form>
      <p id="fleet-software-hint" className="muted small">
        The package&apos;s whole name, in any case: google-chrome-stable on Debian and Ubuntu, Google Chrome on Windows
        and macOS. Versions compare as versions (epochs and revisions included): 99.0 is older than 120.0.
      </p>
      {result.isError && <LoadError message={result.error.message} onRetry={() => void result.refetch()} />}
      {name && result.isPending && <p className="empty">Searching…</p>}
      {data && (
        <div>
          <p className="fleet-result-line" role="status">
            {data.total === 0
              ? `No device has ${name}${below ? ` older than ${below}` : ''}.`
              : `${data.devices} ${data.devices === 1 ? 'device has' : 'devices have'} ${name}${below ? ` older than ${below}` : ''}.`}
          </p>
          {data.versions.length > 0 && (
            <p className="muted small">
              Versions in the fleet:{' '}
              {data.versions.map((v, i) => (
                <span key={v.version ?? ''}>
                  {i > 0 && ', '}
                  <span className="mono">{v.version ?? 'unknown'}</span> ({v.devices})
                </span>
              ))}
            </p>
          )}
          {data.matches.length > 0 && (
            <table className="table" aria-label={`Devices with ${name}`}>
              <thead>
                <tr>
                  <th scope="col">Host name</th>
                  <th scope="col">Operating system</th>
                  <th scope="col">Version</th>
                  <th scope="col">Source</th>
                  <th scope="col">Health</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {data.matches.map((m) => (
                  <tr key={`${m.id} ${m.source} ${m.version ?? ''}`}>
                    <td>
                      <a href={`/devices/${m.id}`}>{m.hostname}</a>
                    </td>
                    <td>{osText(m.os)}</td>
                    <td className="mono">{m.version ?? 'unknown'}</td>
                    <td>{m.source}</td>
                    <td>
                      <HealthBadge health={m.healthStatus} />
                    </td>
                    <td className="muted">{m.online ? 'online' : formatRelative(m.lastSeenAt, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            label="Software results pages"
            total={data.total}
            page={PAGE}
            offset={offset}
            onOffset={(o) => go({ soffset: o })}
          />
        </div>
      )}
    </section>
  );
}
