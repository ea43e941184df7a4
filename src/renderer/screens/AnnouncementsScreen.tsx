import type { ReactElement } from 'react';
import { AnnouncementCard, currentAnnouncements } from '../components/AnnouncementCard';
import { Page } from '../components/Page';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { useMarkInteractive } from '../lib/hooks';
import { useIpcQuery } from '../lib/ipc-query';

/** Every current announcement from IT, most severe first. */
export function AnnouncementsScreen(): ReactElement {
  const list = useIpcQuery('announcements:list', {});
  useMarkInteractive(list.status !== 'loading');
  const current = currentAnnouncements(list.value?.announcements ?? []);
  return (
    <Page title="Announcements" subtitle="News from IT: outages, maintenance, changes.">
      {list.status === 'loading' && <Loading label="Loading announcements…" />}
      {list.status === 'error' && (
        <ErrorBox title="Announcements could not be loaded" message={list.error} onRetry={list.reload} />
      )}
      {list.value && current.length === 0 && (
        <Empty icon="announcements" title="Nothing to announce">
          When IT posts news — an outage, planned maintenance — it shows here, and on the tray.
        </Empty>
      )}
      <div className="stack">
        {current.map((a) => (
          <AnnouncementCard key={a.id} announcement={a} />
        ))}
      </div>
    </Page>
  );
}
