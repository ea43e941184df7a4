import { describe, expect, it } from 'vitest';
import type { AgentState } from '../../shared/ipc/contract';
import {
  trayIconFile,
  trayIconVariant,
  trayMenu,
  trayStatus,
  trayTooltip,
  type TrayMenuItem,
  type TrayRemote,
} from './tray-model';

function state(overrides: Partial<AgentState> = {}): AgentState {
  return {
    computerName: 'lt-jdoe-0042',
    enrollment: { state: 'enrolled', serverUrl: 'https://helpdesk.example.com', deviceId: 'd1', error: null },
    online: true,
    health: { status: 'healthy', findings: [], checkedAt: '2026-11-24T05:00:00.000Z' },
    unread: 0,
    outbox: { pending: 0, failed: 0 },
    ...overrides,
  };
}

const warning = { status: 'warning' as const, findings: [], checkedAt: '2026-11-24T05:00:00.000Z' };

describe('tray status', () => {
  it('says up to date when all is well', () => {
    expect(trayTooltip('Deskside', state())).toBe('Deskside — lt-jdoe-0042: Up to date');
    expect(trayIconVariant(trayStatus(state()))).toBe('normal');
  });

  it('puts unread replies above a health warning, a warning above offline', () => {
    const all = state({ unread: 3, health: warning, online: false });
    expect(trayTooltip('Deskside', all)).toBe('Deskside — lt-jdoe-0042: 3 unread replies');
    expect(trayIconVariant(trayStatus(all))).toBe('unread');
    expect(trayTooltip('ACME IT', state({ unread: 1 }))).toBe('ACME IT — lt-jdoe-0042: 1 unread reply');

    const warnOffline = state({ health: warning, online: false });
    expect(trayTooltip('Deskside', warnOffline)).toBe('Deskside — lt-jdoe-0042: Health warning');
    expect(trayIconVariant(trayStatus(warnOffline))).toBe('warning');
    expect(trayStatus(state({ health: { ...warning, status: 'critical' } }))).toEqual({ kind: 'warning' });
    expect(trayStatus(state({ health: { ...warning, status: 'unknown' } }))).toEqual({ kind: 'ok' });
  });

  it('shows offline and not enrolled with the offline icon', () => {
    expect(trayTooltip('Deskside', state({ online: false }))).toBe('Deskside — lt-jdoe-0042: Offline');
    expect(trayIconVariant(trayStatus(state({ online: false })))).toBe('offline');
    const unenrolled = state({
      enrollment: { state: 'not-configured', serverUrl: null, deviceId: null, error: null },
      online: false,
    });
    expect(trayTooltip('Deskside', unenrolled)).toBe('Deskside — lt-jdoe-0042: Not enrolled');
    expect(trayIconVariant(trayStatus(unenrolled))).toBe('offline');
  });

  it('keeps the tooltip within the Windows limit', () => {
    const tip = trayTooltip('B'.repeat(80), state({ computerName: 'c'.repeat(80) }));
    expect(tip.length).toBeLessThanOrEqual(127);
    expect(tip.endsWith('…')).toBe(true);
    expect(trayTooltip('Deskside', state({ computerName: '  ' }))).toBe('Deskside — this computer: Up to date');
  });
});

describe('tray menu', () => {
  const labels = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '—' : i.label));

  it('offers every action, Quit last', () => {
    const items = trayMenu({ brandName: 'Deskside', state: state(), links: [] });
    expect(labels(items)).toEqual([
      'Open Deskside',
      '—',
      'Get help…',
      'Check my computer',
      'My tickets',
      'Self-help',
      'Announcements',
      '—',
      'Settings',
      'About Deskside',
      '—',
      'Quit Deskside',
    ]);
    const routes = items.flatMap((i) => (i.kind === 'navigate' ? [i.route.screen] : []));
    expect(routes).toEqual(['home', 'help', 'check', 'tickets', 'articles', 'announcements', 'settings', 'about']);
    expect(items.at(-1)).toEqual({ kind: 'quit', id: 'quit', label: 'Quit Deskside' });
  });

  it('counts unread replies on My tickets', () => {
    const items = trayMenu({ brandName: 'Deskside', state: state({ unread: 2 }), links: [] });
    expect(labels(items)).toContain('My tickets (2 unread)');
  });

  it('adds IT links that are https or mailto, and drops the rest', () => {
    const items = trayMenu({
      brandName: 'ACME IT',
      state: state(),
      links: [
        { label: 'Service portal', url: 'https://portal.example.com' },
        { label: 'Mail IT', url: 'mailto:it@example.com' },
        { label: 'Share', url: 'smb://fileserver/it' },
        { label: 'Troubleshooter', url: 'ms-msdt:/id PCWDiagnostic' },
        { label: 'Plain', url: 'http://portal.example.com' },
        { label: '  ', url: 'https://blank.example.com' },
      ],
    });
    const links = items.filter((i) => i.kind === 'link');
    expect(links).toEqual([
      { kind: 'link', id: 'link-0', label: 'Service portal', url: 'https://portal.example.com' },
      { kind: 'link', id: 'link-1', label: 'Mail IT', url: 'mailto:it@example.com' },
    ]);
    expect(labels(items).indexOf('Service portal')).toBeLessThan(labels(items).indexOf('Settings'));
  });
});

describe('tray during a remote session', () => {
  const session = (over: Partial<NonNullable<TrayRemote>> = {}): TrayRemote => ({
    sessionId: '0b7c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
    kind: 'control',
    requestedBy: 'Sam Rivera',
    state: 'active',
    ...over,
  });
  const labels = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '—' : i.label));

  it('a running session comes before everything: its own icon, the tooltip says who and how', () => {
    const busy = state({ unread: 3, health: warning, online: false });
    expect(trayStatus(busy, session())).toEqual({ kind: 'remote', who: 'Sam Rivera', access: 'control' });
    expect(trayIconVariant(trayStatus(busy, session()))).toBe('remote');
    expect(trayTooltip('Deskside', busy, session())).toBe(
      'Deskside — lt-jdoe-0042: Sam Rivera is controlling your screen',
    );
    expect(trayTooltip('Deskside', state(), session({ kind: 'view' }))).toBe(
      'Deskside — lt-jdoe-0042: Sam Rivera is viewing your screen',
    );
  });

  it('a request still waiting for the answer, or none, changes nothing', () => {
    expect(trayStatus(state({ unread: 1 }), session({ state: 'asking' }))).toEqual({ kind: 'unread', count: 1 });
    expect(trayStatus(state(), null)).toEqual({ kind: 'ok' });
    expect(
      labels(trayMenu({ brandName: 'Deskside', state: state(), links: [], remote: session({ state: 'asking' }) }))[0],
    ).toBe('Open Deskside');
  });

  it('Stop is the first entry of the menu while it runs, naming the session', () => {
    const items = trayMenu({ brandName: 'Deskside', state: state(), links: [], remote: session() });
    expect(items[0]).toEqual({
      kind: 'remote-stop',
      id: 'remote-stop',
      label: 'Stop: Sam Rivera is controlling your screen',
      sessionId: '0b7c1e2d-3f4a-4b5c-8d6e-7f8091a2b3c4',
    });
    expect(labels(items).slice(1, 3)).toEqual(['—', 'Open Deskside']);
    expect(items.at(-1)).toEqual({ kind: 'quit', id: 'quit', label: 'Quit Deskside' });
  });
});

describe('tray icon files', () => {
  it('uses Template PNGs on macOS, .ico on Windows, PNG on Linux', () => {
    expect(trayIconFile('darwin', 'unread')).toBe('tray/unread/trayTemplate.png');
    expect(trayIconFile('win32', 'warning')).toBe('tray/warning/tray.ico');
    expect(trayIconFile('linux', 'offline')).toBe('tray/offline/tray.png');
  });
});
