import { lazy, Suspense, type ReactElement } from 'react';
import { adminRoutes } from '../admin/routes';
import { DevicePage } from '../devices/DevicePage';
import { DevicesPage } from '../devices/DevicesPage';
import { FleetPage } from '../fleet/FleetPage';
import { NetworkRoute } from '../network/lazy';
import { CheckHistoryRoute } from '../network/lazy-records';
import { QueuePage } from '../queue/QueuePage';
import type { ConsoleRoute } from '../routing-types';
import { SnapshotPage } from '../snapshots/SnapshotPage';
import { TicketPage } from '../tickets/TicketPage';
import { PreferencesPage } from '../mail/PreferencesPage';

/** The staff member's own page (personal API tokens) loads on first use. */
const LazyProfile = lazy(async () => ({ default: (await import('../profile/ProfilePage')).ProfilePage }));
function ProfilePage(): ReactElement {
  return (
    <Suspense fallback={<div className="page muted">Loading…</div>}>
      <LazyProfile />
    </Suspense>
  );
}

/** The remote session page loads on first use, with noVNC (its own chunk). */
const LazyRemote = lazy(async () => ({ default: (await import('../remote/RemoteSessionPage')).RemoteSessionPage }));
function RemoteSessionPage(props: { params: Record<string, string> }): ReactElement {
  return (
    <Suspense fallback={<div className="page muted">Loading…</div>}>
      <LazyRemote {...props} />
    </Suspense>
  );
}

/** The screen-share page loads on first use too (its own chunk). */
const LazyShare = lazy(async () => ({ default: (await import('../remote/SharePage')).SharePage }));
function SharePage(props: { params: Record<string, string> }): ReactElement {
  return (
    <Suspense fallback={<div className="page muted">Loading…</div>}>
      <LazyShare {...props} />
    </Suspense>
  );
}

/** The technician pages; the admin engineer's pages follow from adminRoutes. */
export const workRoutes: ConsoleRoute[] = [
  { path: '/', title: 'Queue', nav: { label: 'Queue', section: 'work' }, Component: QueuePage },
  { path: '/tickets/:id', title: 'Ticket', Component: TicketPage },
  { path: '/snapshots/:id', title: 'Snapshot', Component: SnapshotPage },
  { path: '/snapshots/:id/changes', title: 'What changed', Component: SnapshotPage },
  { path: '/devices', title: 'Devices', nav: { label: 'Devices', section: 'work' }, Component: DevicesPage },
  { path: '/devices/:id', title: 'Device', Component: DevicePage },
  { path: '/remote/:id', title: 'Remote session', Component: RemoteSessionPage },
  { path: '/share/:id', title: 'Screen share', Component: SharePage },
  { path: '/fleet', title: 'Fleet', nav: { label: 'Fleet', section: 'work' }, Component: FleetPage },
  { path: '/network', title: 'Network', nav: { label: 'Network', section: 'work' }, Component: NetworkRoute },
  { path: '/network/checks/:slug', title: 'Server-side check', Component: CheckHistoryRoute },
  { path: '/preferences', title: 'Preferences', Component: PreferencesPage },
  { path: '/profile', title: 'Profile', Component: ProfilePage },
];

/** Every route the shell knows, in match order. */
export const allRoutes: ConsoleRoute[] = [...workRoutes, ...adminRoutes];
