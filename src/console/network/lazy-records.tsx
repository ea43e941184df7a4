import { lazy, Suspense, type ReactElement } from 'react';

/** A server-side check's history page loads on first use, with recharts (the network views' chunk). */
const LazyCheck = lazy(async () => ({ default: (await import('./CheckHistory')).CheckHistoryPage }));

/** /network/checks/:slug. */
export function CheckHistoryRoute(props: { params: Record<string, string> }): ReactElement {
  return (
    <Suspense
      fallback={
        <div className="page muted" aria-busy="true">
          Loading…
        </div>
      }
    >
      <LazyCheck {...props} />
    </Suspense>
  );
}
