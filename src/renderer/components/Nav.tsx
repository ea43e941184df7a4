import type { ReactElement } from 'react';
import type { AgentState, Route } from '../../shared/ipc/contract';
import { useApp } from '../lib/app-context';
import { Icon, type IconName } from './Icon';

/*
 * The left navigation: one button per screen (aria-current on the active one), the unread count
 * on My tickets, and the connection status at the bottom.
 */

type Screen = Route['screen'];

const ITEMS: { screen: Screen; label: string; icon: IconName; also?: Screen[] }[] = [
  { screen: 'home', label: 'Home', icon: 'home' },
  { screen: 'check', label: 'Check my computer', icon: 'check' },
  { screen: 'help', label: 'Get help', icon: 'help' },
  { screen: 'tickets', label: 'My tickets', icon: 'tickets', also: ['ticket'] },
  { screen: 'articles', label: 'Self-help', icon: 'articles', also: ['article'] },
  { screen: 'announcements', label: 'Announcements', icon: 'announcements' },
  { screen: 'settings', label: 'Settings', icon: 'settings' },
  { screen: 'about', label: 'About', icon: 'about' },
];

function connection(state: AgentState | null): { tone: string; text: string; detail: string } {
  if (!state) return { tone: 'neutral', text: 'Starting…', detail: '' };
  const { enrollment, online, outbox } = state;
  const waiting = outbox.pending > 0 ? `${outbox.pending} waiting to send` : '';
  if (enrollment.state === 'not-configured')
    return { tone: 'neutral', text: 'No help desk set up', detail: 'See Settings' };
  if (enrollment.state === 'failed') return { tone: 'critical', text: 'Not connected', detail: 'See Settings' };
  if (enrollment.state === 'enrolling') return { tone: 'neutral', text: 'Connecting…', detail: waiting };
  return online
    ? { tone: 'ok', text: 'Connected', detail: waiting }
    : { tone: 'warning', text: 'Offline', detail: waiting || 'Tickets are kept until the help desk is back' };
}

/** The window's side navigation with the agent's connection status. */
export function Nav({ productName }: { productName: string }): ReactElement {
  const { route, navigate, state } = useApp();
  const status = connection(state);
  return (
    <nav className="nav" aria-label="Deskside">
      <div className="nav-brand">
        <span className="nav-logo" aria-hidden="true">
          {productName.charAt(0)}
        </span>
        <span className="nav-name">{productName}</span>
      </div>
      <ul className="nav-list">
        {ITEMS.map((item) => {
          const current = item.screen === route.screen || (item.also ?? []).includes(route.screen);
          const unread = item.screen === 'tickets' && state && state.unread > 0 ? state.unread : 0;
          return (
            <li key={item.screen}>
              <button
                type="button"
                className="nav-item"
                aria-current={current ? 'page' : undefined}
                onClick={() => navigate({ screen: item.screen } as Route)}
              >
                <Icon name={item.icon} />
                <span className="nav-label">{item.label}</span>
                {/* aria-label on a plain span is not read out: the count is hidden, the words are not. */}
                {unread > 0 && (
                  <>
                    <span className="nav-count" aria-hidden="true">
                      {unread}
                    </span>
                    <span className="visually-hidden">, {unread} unread</span>
                  </>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <div className={`nav-status nav-status-${status.tone}`} data-testid="connection-status">
        <span className="dot" aria-hidden="true" />
        <span>
          <span className="nav-status-text">{status.text}</span>
          {status.detail && <span className="nav-status-detail">{status.detail}</span>}
        </span>
      </div>
    </nav>
  );
}
