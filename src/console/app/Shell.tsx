import { useStaffEvents } from '../api/live';
import { useEffect, type ReactElement } from 'react';
import { Route, Switch, useLocation } from 'wouter';
import type { ConsoleRoute } from '../routing-types';
import { allRoutes } from './routes';
import { useSession } from './session';

/** Sets the document title for a page: "Title · Deskside". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Deskside`;
  }, [title]);
}

/** Whether a nav entry is the current page (the queue owns ticket pages, devices own device pages). */
function isCurrent(route: ConsoleRoute, path: string): boolean {
  if (route.path === '/') return path === '/' || path.startsWith('/tickets/');
  return path === route.path || path.startsWith(`${route.path}/`);
}

function NavLinks({
  routes,
  path,
  label,
}: {
  routes: ConsoleRoute[];
  path: string;
  label: string;
}): ReactElement | null {
  if (routes.length === 0) return null;
  return (
    <div className="nav-group">
      <div className="nav-heading">{label}</div>
      <ul>
        {routes.map((route) => (
          <li key={route.path}>
            <a href={route.path} className="nav-link" aria-current={isCurrent(route, path) ? 'page' : undefined}>
              {route.nav?.label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Page({ title, children }: { title: string; children: ReactElement }): ReactElement {
  useTitle(title);
  return children;
}

function NotFound(): ReactElement {
  return (
    <Page title="Not found">
      <section className="page">
        <h1>Page not found</h1>
        <p className="muted">Nothing lives at this address in the console.</p>
        <p>
          <a href="/">Back to the queue</a>
        </p>
      </section>
    </Page>
  );
}

function NotAllowed(): ReactElement {
  return (
    <Page title="Not allowed">
      <section className="page">
        <h1>Administrators only</h1>
        <p className="muted">This page is for IT administrators. Ask one if you need a change here.</p>
      </section>
    </Page>
  );
}

/** The signed-in layout: side navigation, the user, and the page for the current path. */
export function Shell(): ReactElement {
  const { user, signOut } = useSession();
  const [path] = useLocation();
  // Ticket activity, the employee typing and delivery marks arrive as they happen.
  useStaffEvents();
  const isAdmin = user.role === 'admin';
  const visible = allRoutes.filter((r) => r.nav && (!r.adminOnly || isAdmin));
  const work = visible.filter((r) => r.nav?.section === 'work');
  const admin = isAdmin ? visible.filter((r) => r.nav?.section === 'admin') : [];
  // A new page starts at the top (a tab or filter change keeps the path and the scroll position).
  useEffect(() => {
    // Braces: in current Chromium scrollTo returns a promise, which React would take for a cleanup.
    window.scrollTo(0, 0);
  }, [path]);

  const page = (
    <Switch>
      {allRoutes.map((route) => (
        <Route key={route.path} path={route.path}>
          {(params: Record<string, string>) =>
            route.adminOnly && !isAdmin ? (
              <NotAllowed />
            ) : (
              <Page title={route.title}>
                {/* Keyed by path: moving between two tickets starts the page afresh. */}
                <route.Component key={path} params={params} />
              </Page>
            )
          }
        </Route>
      ))}
      <Route>
        <NotFound />
      </Route>
    </Switch>
  );

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <a className="brand" href="/">
          ◆ Deskside
        </a>
        <NavLinks routes={work} path={path} label="Help desk" />
        <NavLinks routes={admin} path={path} label="Administration" />
        <div className="spacer" />
        <div className="sidebar-user">
          <div className="sidebar-user-name">{user.name}</div>
          <div className="muted small">
            {user.email} · {user.role}
          </div>
          <div className="sidebar-user-actions">
            <a
              href="/profile"
              className="btn btn-small"
              title="Profile and personal API tokens"
              aria-current={path === '/profile' ? 'page' : undefined}
            >
              Profile
            </a>
            <a
              href="/preferences"
              className="btn btn-small"
              title="Which emails you get"
              aria-current={path === '/preferences' ? 'page' : undefined}
            >
              Preferences
            </a>
            <button type="button" className="btn btn-small" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}
