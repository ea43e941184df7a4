import { lazy, Suspense, type ComponentProps, type ReactElement } from 'react';
// The network views load on first use with recharts (their own chunk); their stylesheet stays in app.css.
import './network.css';

/*
 * The network views as the device page, the ticket page and the route table mount them: lazy chunks,
 * so the queue does not wait for recharts.
 */

const LazyDevice = lazy(async () => ({ default: (await import('./DeviceNetwork')).DeviceNetwork }));
const LazyTicket = lazy(async () => ({ default: (await import('./TicketNetwork')).TicketNetwork }));
const LazyPage = lazy(async () => ({ default: (await import('./NetworkPage')).NetworkPage }));

const loading = (
  <div className="card muted" aria-busy="true">
    Loading the network…
  </div>
);

/** The device page's Network section. */
export function DeviceNetworkSection(props: ComponentProps<typeof LazyDevice>): ReactElement {
  return (
    <Suspense fallback={loading}>
      <LazyDevice {...props} />
    </Suspense>
  );
}

/** The ticket's "network in the 24 hours before" and who else is affected. */
export function TicketNetworkSection(props: ComponentProps<typeof LazyTicket>): ReactElement {
  return (
    <Suspense fallback={loading}>
      <LazyTicket {...props} />
    </Suspense>
  );
}

/** The Network page (fleet grid and server-side checks). */
export function NetworkRoute(): ReactElement {
  return (
    <Suspense
      fallback={
        <div className="page muted" aria-busy="true">
          Loading…
        </div>
      }
    >
      <LazyPage />
    </Suspense>
  );
}
