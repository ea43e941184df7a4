import { app, type Session, type WebContents } from 'electron';
import type { AgentLogger } from '../services/agent-platform';
import { decideLeave, decidePermission } from '../services/window-policy';

/*
 * Session- and app-wide guards applied once, before any window exists, so they also cover any
 * WebContents created later: no navigation away from the app, no new windows, no <webview>, no
 * permission unless window-policy grants it. Allow-listed links (https:, mailto:) go to the browser.
 */

/** Applies the guards; `openExternal` receives only URLs the policy allows. */
export function hardenApp(session: Session, logger: AgentLogger, openExternal: (url: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = decidePermission(permission, details.requestingUrl);
    if (!granted) logger.warn('permission request denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    decidePermission(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());

  app.on('web-contents-created', (_event, contents) => guardContents(contents, logger, openExternal));
}

function guardContents(contents: WebContents, logger: AgentLogger, openExternal: (url: string) => void): void {
  const leave = (event: { preventDefault(): void }, url: string, what: string) => {
    event.preventDefault();
    const decision = decideLeave(url);
    if (decision.openExternally) openExternal(url);
    else logger.warn(`${what} blocked`, { url: url.slice(0, 200) });
  };
  contents.on('will-navigate', (event) => leave(event, event.url, 'navigation'));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) leave(event, event.url, 'frame navigation');
  });
  contents.on('will-redirect', (event) => leave(event, event.url, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (decideLeave(url).openExternally) openExternal(url);
    return { action: 'deny' };
  });
}
