import { join } from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { AgentState, Route } from '../../shared/ipc/contract';
import {
  trayIconFile,
  trayIconVariant,
  trayMenu,
  trayStatus,
  trayTooltip,
  type TrayIconVariant,
  type TrayMenuItem,
  type TrayRemote,
} from '../services/tray-model';

/*
 * The tray icon: a thin adapter over tray-model (which decides tooltip, icon variant and menu).
 * update() is called on every `state` event; the menu is rebuilt only when it changes. Every action
 * is in the menu, because some Linux desktops (StatusNotifierItem) never deliver icon clicks.
 */

/** What the tray needs from the rest of the app. */
export interface TrayOptions {
  assetsDir: string;
  platform: NodeJS.Platform;
  brandName: string;
  links: readonly { label: string; url: string }[];
  initialState: AgentState;
  navigate(route: Route): void;
  openExternal(url: string): void;
  /** The employee stops the running remote session from the menu. */
  stopRemote(sessionId: string): void;
  quit(): void;
}

/** The running tray. */
export interface AgentTray {
  /** Redraws from the agent state and the remote session (kept from the last call when omitted). */
  update(state: AgentState, remote?: TrayRemote): void;
  destroy(): void;
}

/** Creates the tray icon with its menu. */
export function createTray(options: TrayOptions): AgentTray {
  const icons = new Map<TrayIconVariant, NativeImage>();
  const icon = (variant: TrayIconVariant) => {
    let image = icons.get(variant);
    if (!image) {
      image = nativeImage.createFromPath(join(options.assetsDir, trayIconFile(options.platform, variant)));
      if (options.platform === 'darwin') image.setTemplateImage(true);
      icons.set(variant, image);
    }
    return image;
  };

  const toMenuItem = (item: TrayMenuItem): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'navigate':
        return { id: item.id, label: item.label, click: () => options.navigate(item.route) };
      case 'link':
        return { id: item.id, label: item.label, click: () => options.openExternal(item.url) };
      case 'remote-stop':
        return { id: item.id, label: item.label, click: () => options.stopRemote(item.sessionId) };
      case 'quit':
        return { id: item.id, label: item.label, click: () => options.quit() };
    }
  };

  const initialVariant = trayIconVariant(trayStatus(options.initialState));
  const tray = new Tray(icon(initialVariant));
  let variant = initialVariant;
  let tooltip = '';
  let menuKey = '';
  let remote: TrayRemote = null;
  const update = (state: AgentState, nextRemote?: TrayRemote) => {
    if (nextRemote !== undefined) remote = nextRemote;
    const nextVariant = trayIconVariant(trayStatus(state, remote));
    if (nextVariant !== variant) {
      variant = nextVariant;
      tray.setImage(icon(variant));
    }
    const nextTooltip = trayTooltip(options.brandName, state, remote);
    if (nextTooltip !== tooltip) {
      tooltip = nextTooltip;
      tray.setToolTip(tooltip);
      // macOS shows no tooltip on hover for some menu bar setups; the title stays empty (icon only).
    }
    const items = trayMenu({ brandName: options.brandName, state, links: options.links, remote });
    const key = JSON.stringify(items);
    if (key !== menuKey) {
      menuKey = key;
      tray.setContextMenu(Menu.buildFromTemplate(items.map(toMenuItem)));
    }
  };

  // Windows and most X11 trays deliver a click: open the window. macOS opens the menu on click itself.
  if (options.platform !== 'darwin') tray.on('click', () => options.navigate({ screen: 'home' }));
  update(options.initialState);
  return { update, destroy: () => tray.destroy() };
}
