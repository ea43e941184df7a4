import type { AgentState, RemoteSessionPrompt, Route } from '../../shared/ipc/contract';
import { isAllowedExternalUrl } from '../../shared/external-url';

/*
 * What the tray shows, as data: the status (icon variant and tooltip) and the menu. The Electron
 * glue (src/main/electron/tray.ts) turns it into a Tray and a Menu and rebuilds it on every state
 * event. Every action is in the menu because some Linux desktops ignore clicks on the icon.
 */

/** The icon variants shipped in assets/tray/<variant>/ (scripts/make-icons.mjs). */
export const TRAY_ICON_VARIANTS = ['normal', 'unread', 'warning', 'offline', 'remote'] as const;
export type TrayIconVariant = (typeof TRAY_ICON_VARIANTS)[number];

/** The remote session the tray knows of (the `remote:session` event), or null. */
export type TrayRemote = Pick<RemoteSessionPrompt, 'sessionId' | 'kind' | 'requestedBy' | 'state'> | null;

/**
 * The one status the tray shows, in priority order: a running remote session > unread reply > health
 * warning > not enrolled/offline > fine. A session on screen is never hidden behind anything else.
 */
export type TrayStatus =
  | { kind: 'remote'; who: string; access: 'view' | 'control' }
  | { kind: 'unread'; count: number }
  | { kind: 'warning' }
  | { kind: 'not-enrolled' }
  | { kind: 'offline' }
  | { kind: 'ok' };

/** Picks the status that matters most to the employee right now. */
export function trayStatus(state: AgentState, remote: TrayRemote = null): TrayStatus {
  if (remote?.state === 'active') return { kind: 'remote', who: remote.requestedBy, access: remote.kind };
  if (state.unread > 0) return { kind: 'unread', count: state.unread };
  if (state.health && (state.health.status === 'warning' || state.health.status === 'critical'))
    return { kind: 'warning' };
  if (state.enrollment.state !== 'enrolled') return { kind: 'not-enrolled' };
  if (!state.online) return { kind: 'offline' };
  return { kind: 'ok' };
}

/** The icon variant for a status. */
export function trayIconVariant(status: TrayStatus): TrayIconVariant {
  switch (status.kind) {
    case 'remote':
      return 'remote';
    case 'unread':
      return 'unread';
    case 'warning':
      return 'warning';
    case 'not-enrolled':
    case 'offline':
      return 'offline';
    case 'ok':
      return 'normal';
  }
}

/** The status in words, as the tooltip ends. */
export function trayStatusText(status: TrayStatus): string {
  switch (status.kind) {
    case 'remote':
      return `${status.who} is ${status.access === 'control' ? 'controlling' : 'viewing'} your screen`;
    case 'unread':
      return status.count === 1 ? '1 unread reply' : `${status.count} unread replies`;
    case 'warning':
      return 'Health warning';
    case 'not-enrolled':
      return 'Not enrolled';
    case 'offline':
      return 'Offline';
    case 'ok':
      return 'Up to date';
  }
}

/** "<brand> — <computer>: <status>", cut to the 127 characters Windows allows in a tray tooltip. */
export function trayTooltip(brandName: string, state: AgentState, remote: TrayRemote = null): string {
  const computer = state.computerName.trim() || 'this computer';
  const text = `${brandName} — ${computer}: ${trayStatusText(trayStatus(state, remote))}`;
  return text.length <= 127 ? text : `${text.slice(0, 126)}…`;
}

/** One entry of the tray menu. */
export type TrayMenuItem =
  | { kind: 'navigate'; id: string; label: string; route: Route }
  | { kind: 'link'; id: string; label: string; url: string }
  | { kind: 'separator' }
  | { kind: 'remote-stop'; id: 'remote-stop'; label: string; sessionId: string }
  | { kind: 'quit'; id: 'quit'; label: string };

/** Input to the menu: the agent state, brand name and IT's extra links. */
export interface TrayMenuInput {
  brandName: string;
  state: AgentState;
  links: readonly { label: string; url: string }[];
  /** The remote session, if any: while it runs, Stop is the menu's first entry. */
  remote?: TrayRemote;
}

/** The tray menu, top to bottom. IT links that are not https:/mailto: are left out, never opened. */
export function trayMenu({ brandName, state, links, remote = null }: TrayMenuInput): TrayMenuItem[] {
  const unread = state.unread;
  const status = trayStatus(state, remote);
  const items: TrayMenuItem[] = [];
  if (status.kind === 'remote' && remote)
    items.push(
      {
        kind: 'remote-stop',
        id: 'remote-stop',
        label: `Stop: ${trayStatusText(status)}`.slice(0, 120),
        sessionId: remote.sessionId,
      },
      { kind: 'separator' },
    );
  items.push(
    { kind: 'navigate', id: 'open', label: `Open ${brandName}`, route: { screen: 'home' } },
    { kind: 'separator' },
    { kind: 'navigate', id: 'help', label: 'Get help…', route: { screen: 'help' } },
    { kind: 'navigate', id: 'check', label: 'Check my computer', route: { screen: 'check' } },
    {
      kind: 'navigate',
      id: 'tickets',
      label: unread > 0 ? `My tickets (${unread} unread)` : 'My tickets',
      route: { screen: 'tickets' },
    },
    { kind: 'navigate', id: 'articles', label: 'Self-help', route: { screen: 'articles' } },
    { kind: 'navigate', id: 'announcements', label: 'Announcements', route: { screen: 'announcements' } },
  );
  const allowed = links.filter((link) => link.label.trim().length > 0 && isAllowedExternalUrl(link.url));
  if (allowed.length > 0) {
    items.push({ kind: 'separator' });
    allowed.forEach((link, index) =>
      items.push({ kind: 'link', id: `link-${index}`, label: link.label.trim().slice(0, 80), url: link.url }),
    );
  }
  items.push(
    { kind: 'separator' },
    { kind: 'navigate', id: 'settings', label: 'Settings', route: { screen: 'settings' } },
    { kind: 'navigate', id: 'about', label: `About ${brandName}`, route: { screen: 'about' } },
    { kind: 'separator' },
    { kind: 'quit', id: 'quit', label: `Quit ${brandName}` },
  );
  return items;
}

/** Icon files of one variant, relative to the assets folder, for a platform. */
export function trayIconFile(platform: NodeJS.Platform, variant: TrayIconVariant): string {
  // macOS picks trayTemplate@2x.png on Retina by itself and tints Template images for light/dark bars.
  if (platform === 'darwin') return `tray/${variant}/trayTemplate.png`;
  if (platform === 'win32') return `tray/${variant}/tray.ico`;
  return `tray/${variant}/tray.png`;
}
