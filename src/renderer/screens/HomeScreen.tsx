import type { ReactElement } from 'react';
import type { Route } from '../../shared/ipc/contract';
import { AnnouncementCard, currentAnnouncements } from '../components/AnnouncementCard';
import { HealthSummary } from '../components/HealthSummary';
import { Icon, type IconName } from '../components/Icon';
import { Page } from '../components/Page';
import { ErrorBox, Loading } from '../components/Status';
import { useApp } from '../lib/app-context';
import { useMarkInteractive } from '../lib/hooks';
import { useIpcQuery } from '../lib/ipc-query';

function Action({
  icon,
  title,
  text,
  route,
  badge,
}: {
  icon: IconName;
  title: string;
  text: string;
  route: Route;
  badge?: number;
}): ReactElement {
  const { navigate } = useApp();
  return (
    <button type="button" className="action" onClick={() => navigate(route)}>
      <span className="action-icon">
        <Icon name={icon} size={22} />
      </span>
      <span className="action-text">
        <span className="action-title">
          {title}
          {badge ? (
            // The action's own text says "N new replies"; the badge repeats it for the eye only.
            <span className="nav-count" aria-hidden="true">
              {badge}
            </span>
          ) : null}
        </span>
        <span className="action-detail">{text}</span>
      </span>
    </button>
  );
}

/** The first screen: health at a glance, the four things an employee comes for, and IT's announcements. */
export function HomeScreen(): ReactElement {
  const { state, stateError, navigate } = useApp();
  const announcements = useIpcQuery('announcements:list', {});
  useMarkInteractive(state !== null && announcements.status !== 'loading');
  const current = currentAnnouncements(announcements.value?.announcements ?? []);
  const unread = state?.unread ?? 0;

  return (
    <Page title={state ? `Hello from ${state.computerName}` : 'Hello'} subtitle="What can we help you with today?">
      {stateError && <ErrorBox title="Deskside is not responding" message={stateError} />}
      {state ? (
        <HealthSummary health={state.health} onCheck={() => navigate({ screen: 'check' })} />
      ) : (
        !stateError && <Loading label="Loading your computer's status…" />
      )}
      <section aria-labelledby="actions-heading">
        <h2 id="actions-heading" className="visually-hidden">
          Quick actions
        </h2>
        <div className="actions">
          <Action
            icon="check"
            title="Check my computer"
            text="Find common problems and how to fix them"
            route={{ screen: 'check' }}
          />
          <Action
            icon="help"
            title="Get help"
            text="Ask the help desk; your computer's details go along"
            route={{ screen: 'help' }}
          />
          <Action
            icon="tickets"
            title="My tickets"
            text={unread > 0 ? `${unread} new ${unread === 1 ? 'reply' : 'replies'}` : 'Follow up on your requests'}
            route={{ screen: 'tickets' }}
            badge={unread}
          />
          <Action
            icon="articles"
            title="Self-help"
            text="Guides from IT, readable offline"
            route={{ screen: 'articles' }}
          />
        </div>
      </section>
      <section aria-labelledby="announcements-heading" className="stack">
        <div className="card-head">
          <h2 id="announcements-heading">Announcements</h2>
          {current.length > 0 && (
            <button type="button" className="link-button" onClick={() => navigate({ screen: 'announcements' })}>
              {current.length > 3 ? `All ${current.length} announcements` : 'Open announcements'}
            </button>
          )}
        </div>
        {announcements.status === 'loading' && <Loading label="Loading announcements…" />}
        {announcements.status === 'error' && (
          <ErrorBox
            title="Announcements could not be loaded"
            message={announcements.error}
            onRetry={announcements.reload}
          />
        )}
        {announcements.status === 'ok' && current.length === 0 && (
          <p className="muted">No announcements from IT right now.</p>
        )}
        {current.slice(0, 3).map((a) => (
          <AnnouncementCard key={a.id} announcement={a} compact />
        ))}
      </section>
    </Page>
  );
}
