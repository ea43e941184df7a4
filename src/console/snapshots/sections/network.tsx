import type { ReactElement } from 'react';
import type { Sections } from '../../../shared/snapshot/snapshot';
import { DataTable, KeyValues, v, yesNo } from '../parts';

/** Interfaces, gateway, DNS and Wi-Fi (never its key: the snapshot has none). */
export function NetworkSection({ s }: { s: Sections['network'] }): ReactElement {
  return (
    <div className="stack">
      <KeyValues
        items={[
          [
            'Default gateway',
            s.defaultGateway ? (
              <span className="mono">{s.defaultGateway}</span>
            ) : (
              <span className="text-critical">none</span>
            ),
          ],
          ['Default interface', v(s.defaultInterface)],
          [
            'DNS servers',
            s.dnsServers.length ? (
              <span className="mono">{s.dnsServers.join(', ')}</span>
            ) : (
              <span className="text-critical">none</span>
            ),
          ],
          [
            'Wi-Fi',
            s.wifi
              ? `${s.wifi.ssid}${s.wifi.signalDbm !== null ? ` · ${s.wifi.signalDbm} dBm` : ''}${s.wifi.qualityPercent !== null ? ` (${s.wifi.qualityPercent}%)` : ''}${s.wifi.security ? ` · ${s.wifi.security}` : ''}`
              : 'not connected',
          ],
        ]}
      />
      <DataTable
        label="Network interfaces"
        rows={s.interfaces}
        empty="No interfaces reported."
        columns={[
          [
            'Interface',
            (i) => (
              <>
                {i.name}
                {i.isDefault && <span className="badge badge-info inline-badge">default</span>}
              </>
            ),
          ],
          ['Type', (i) => i.type],
          ['State', (i) => <span className={`badge ${i.up ? 'badge-ok' : ''}`}>{i.up ? 'up' : 'down'}</span>],
          ['IPv4', (i) => <span className="mono">{i.ipv4.join(', ') || '—'}</span>],
          ['IPv6', (i) => <span className="mono small">{i.ipv6.join(', ') || '—'}</span>],
          ['MAC', (i) => <span className="mono">{v(i.mac)}</span>],
          ['DHCP', (i) => yesNo(i.dhcp)],
        ]}
      />
    </div>
  );
}

/** Gateway, DNS, help-desk server and URL checks with latency. */
export function ConnectivitySection({ s }: { s: Sections['connectivity'] }): ReactElement {
  return (
    <DataTable
      label="Connectivity checks"
      rows={s.checks}
      empty="No checks were run."
      columns={[
        ['Check', (c) => c.kind],
        ['Target', (c) => <span className="mono">{c.target}</span>],
        [
          'Result',
          (c) => (
            <span className={`badge ${c.status === 'ok' ? 'badge-ok' : c.status === 'failed' ? 'badge-critical' : ''}`}>
              {c.status}
            </span>
          ),
        ],
        ['Latency', (c) => (c.latencyMs === null ? '—' : `${Math.round(c.latencyMs)} ms`)],
        ['Detail', (c) => v(c.detail)],
      ]}
    />
  );
}
