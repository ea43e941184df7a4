import { useState, type ReactElement } from 'react';
import type { DeviceNetmonDto } from '../../shared/api/netmon';
import { formatCount, formatDateTime } from '../../shared/format';
import type { NetLink } from '../../shared/netmon/netmon';
import { NETMON_HEALTH_THRESHOLDS } from '../../shared/netmon/netmon-health';
import type { NetmonWindow } from '../../shared/netmon/netmon-limits';
import { useDeviceNetmon, useNetmonChecks, useNetmonSettings } from '../api/netmon.queries';
import { LoadError } from '../components/Badges';
import { KeyValues } from '../snapshots/parts';
import { TargetChart, TargetLegend, WifiChart } from './NetworkCharts';
import { DeviceBandwidth } from './DeviceBandwidth';
import {
  formatLoss,
  formatMs,
  HEALTH_BADGE,
  HEALTH_WORD,
  siteLabel,
  summarize,
  targetLabel,
  targetOrder,
} from './netmon-view';

/*
 * The device's network (issue 14): latency, loss and jitter per target and the Wi-Fi signal over a window
 * the technician zooms (1 h raw samples, 24 h 5-minute, 7 d and 90 d hourly averages), and its latest link.
 */

const WINDOWS: { id: NetmonWindow; label: string; spoken: string }[] = [
  { id: '1h', label: '1 h', spoken: 'last hour' },
  { id: '24h', label: '24 h', spoken: 'last 24 hours' },
  { id: '7d', label: '7 d', spoken: 'last 7 days' },
  { id: '90d', label: '90 d', spoken: 'last 90 days' },
];
const RECENT_MS = NETMON_HEALTH_THRESHOLDS.windowMs;
const RESOLUTION_WORDS = {
  raw: 'every sample',
  '5m': '5-minute averages',
  '1h': 'hourly averages',
  '6h': '6-hour averages',
} as const;

/** The latest link in words: Wi-Fi, addressing, VPN, site. */
export function LinkFacts({ link, site }: { link: NetLink | null; site: DeviceNetmonDto['site'] }): ReactElement {
  if (!link) return <p className="muted">No link reported yet.</p>;
  const w = link.wifi;
  const items: [string, string][] = [
    [
      'Connection',
      [link.kind === 'wifi' ? 'Wi-Fi' : link.kind === 'ethernet' ? 'Ethernet' : (link.kind ?? '—'), link.interface]
        .filter(Boolean)
        .join(' · '),
    ],
  ];
  if (w) {
    items.push(
      ['SSID', w.ssid ?? '—'],
      ['BSSID', w.bssid ?? '—'],
      ['Signal', w.signalDbm === null ? '—' : `${w.signalDbm} dBm`],
      ['Link rate', w.rateMbps === null ? '—' : `${w.rateMbps} Mbit/s`],
      ['Channel', w.channel === null ? '—' : `${w.channel}${w.band ? ` (${w.band} GHz)` : ''}`],
    );
  }
  items.push(
    ['Subnet', link.subnet ?? '—'],
    ['Site', siteLabel(site)],
    ['VPN', link.vpn ? (link.vpn.up ? `up${link.vpn.name ? ` (${link.vpn.name})` : ''}` : 'down') : 'unknown'],
  );
  if (link.errors)
    items.push([
      'Interface errors',
      `${formatCount(link.errors.rxErrors + link.errors.txErrors, 'error')}, ${formatCount(link.errors.rxDropped + link.errors.txDropped, 'drop')} since the previous report`,
    ]);
  items.push(['Reported', formatDateTime(new Date(link.at).toISOString())]);
  return <KeyValues items={items} />;
}

function Zoom({ value, onChange }: { value: NetmonWindow; onChange(w: NetmonWindow): void }): ReactElement {
  return (
    <div className="net-zoom" role="group" aria-label="Chart window">
      {WINDOWS.map((w) => (
        <button
          key={w.id}
          type="button"
          className={`btn btn-small${w.id === value ? ' btn-primary' : ''}`}
          aria-pressed={w.id === value}
          aria-label={`Show the ${w.spoken}`}
          onClick={() => onChange(w.id)}
        >
          {w.label}
        </button>
      ))}
    </div>
  );
}

/** The device page's network section. */
export function DeviceNetwork({ deviceId }: { deviceId: string }): ReactElement {
  const [window, setWindow] = useState<NetmonWindow>('24h');
  const view = useDeviceNetmon(deviceId, window);
  const settings = useNetmonSettings();
  const checks = useNetmonChecks();
  const plan = settings.data?.plan ?? null;
  const spoken = WINDOWS.find((w) => w.id === window)!.spoken;
  const body = (): ReactElement => {
    if (view.isPending)
      return (
        <p className="muted" role="status">
          Loading the network history…
        </p>
      );
    if (view.isError) return <LoadError message={view.error.message} onRetry={() => void view.refetch()} />;
    const d = view.data;
    const span = { from: d.from, to: d.to };
    const interval = plan ? `every ${plan.intervalSeconds} s` : 'on IT’s schedule';
    if (plan && !plan.enabled && d.targets.length === 0 && !d.link)
      return (
        <div className="empty">
          Network monitoring is off: IT turned it off in Settings → Network. Nothing has been recorded for this device.
        </div>
      );
    if (d.targets.length === 0 && !d.link)
      return (
        <div className="empty">
          <strong>No samples yet.</strong> The agent probes the gateway, the DNS resolvers, the help-desk server
          {plan && plan.targets.length > 0
            ? ` and ${plan.targets.length} IT target${plan.targets.length === 1 ? '' : 's'}`
            : ''}{' '}
          {interval} while it is online and sends the results over the live channel; they appear here within a minute of
          the first probe.
        </div>
      );
    return (
      <>
        <div className="net-device-top">
          <div>
            <h3>Latest link</h3>
            <LinkFacts link={d.link} site={d.site} />
          </div>
          <div className="net-wifi">
            <h3>Wi-Fi signal</h3>
            {d.wifi.some((p) => p.signalDbm !== null) ? (
              <div role="img" aria-label={`Wi-Fi signal over the ${spoken}`}>
                <WifiChart points={d.wifi} span={span} />
              </div>
            ) : (
              <p className="muted">
                {d.link?.kind === 'wifi'
                  ? `No Wi-Fi signal reported in the ${spoken}.`
                  : `Not on Wi-Fi in the ${spoken}.`}
              </p>
            )}
          </div>
        </div>
        <p className="muted small">
          {RESOLUTION_WORDS[d.resolution]} over the {spoken}
          {d.resolution === 'raw'
            ? `; the agent probes ${interval}.`
            : '; the latest minutes appear once rolled up (every 5 minutes) — the 1 h view shows every sample.'}
        </p>
        {d.targets.length === 0 ? (
          <div className="empty">
            No probe results in the {spoken}. The agent probes {interval} while it is online; try a longer window.
          </div>
        ) : (
          <>
            <TargetLegend />
            <div className="net-charts">
              {[...d.targets]
                .sort((a, b) => targetOrder(a.target, b.target))
                .map((series) => {
                  const label = targetLabel(series.target, plan, checks.data);
                  const s = summarize(series.points);
                  // Fine windows end now: their badge is the last 15 minutes, as the fleet grid sees it.
                  const recent =
                    d.resolution === '1h' ? null : summarize(series.points.filter((p) => p.t >= d.to - RECENT_MS));
                  const badge =
                    recent && recent.sent > 0
                      ? { health: recent.health, prefix: 'Now' }
                      : { health: s.health, prefix: WINDOWS.find((w) => w.id === window)!.label };
                  const words = `average ${formatMs(s.rttMs)}, loss ${formatLoss(s.lossPct)}, jitter ${formatMs(s.jitterMs)}`;
                  return (
                    <figure key={series.target} className="net-chart" aria-label={label}>
                      <figcaption className="net-chart-head">
                        <strong>{label}</strong>
                        <span className={HEALTH_BADGE[badge.health]}>
                          {badge.prefix}: {HEALTH_WORD[badge.health]}
                        </span>
                        <span className="muted small">{words}</span>
                      </figcaption>
                      <div role="img" aria-label={`${label} over the ${spoken}: ${words}`}>
                        <TargetChart points={series.points} span={span} />
                      </div>
                    </figure>
                  );
                })}
            </div>
          </>
        )}
      </>
    );
  };
  return (
    <section className="card net-device" aria-labelledby="device-network" id="network">
      <header className="net-head">
        <h2 id="device-network">Network</h2>
        <Zoom value={window} onChange={setWindow} />
        {view.isFetching && !view.isPending ? <span className="muted small">Updating…</span> : null}
      </header>
      {body()}
      <DeviceBandwidth deviceId={deviceId} />
    </section>
  );
}
