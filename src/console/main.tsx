// Base styles first: page styles imported by the components below must come later to override them.
import './theme.css';
import './app/shell.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/query-client';
import { prefetchQueue } from './api/tickets.queries';
import { App, requestSession } from './app/App';
import { filtersFrom, filtersToQuery } from './queue/filters';

const root = document.getElementById('root');
// The pages an employee opens from a mail link need no sign-in: rendered alone, no session asked for.
const publicMail = root && window.location.pathname.startsWith('/mail/');
if (root && publicMail) {
  void import('./mail/PublicMailPage').then(({ PublicMailPage }) =>
    createRoot(root).render(
      <StrictMode>
        <PublicMailPage path={window.location.pathname} />
      </StrictMode>,
    ),
  );
} else if (root) {
  // The session check leaves before React's first render, and the queue's first page as soon as the
  // session is known to be good (never while signed out: that would only be a 401).
  const queryClient = createQueryClient();
  const firstSession = requestSession();
  firstSession.then(
    (session) => {
      if (session.signedIn && window.location.pathname === '/')
        prefetchQueue(queryClient, filtersToQuery(filtersFrom(new URLSearchParams(window.location.search))));
    },
    () => undefined,
  );
  createRoot(root).render(
    <StrictMode>
      <App firstSession={firstSession} queryClient={queryClient} />
    </StrictMode>,
  );
}
