import { lazy, Suspense, type ReactElement } from 'react';
import type { ConsoleRoute } from '../routing-types';
import { adminOnly } from './common/admin-gate';
// The admin pages load on first use (their own chunks, with recharts and the shared schemas), so the
// technician's queue does not wait for them; their stylesheet stays in the main app.css.
import './admin.css';

type PageProps = { params: Record<string, string> };
type Page = (props: PageProps) => ReactElement;

function lazyPage(load: () => Promise<Page>): Page {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function LazyPage(props: PageProps): ReactElement {
    return (
      <Suspense
        fallback={
          <div className="page muted" aria-busy="true">
            Loading…
          </div>
        }
      >
        <Lazy {...props} />
      </Suspense>
    );
  };
}

const ArticlesPage = lazyPage(() => import('./articles/ArticlesPage').then((m) => m.ArticlesPage));
const ArticleEditorPage = lazyPage(() => import('./articles/ArticleEditorPage').then((m) => m.ArticleEditorPage));
const AnnouncementsPage = lazyPage(() => import('./announcements/AnnouncementsPage').then((m) => m.AnnouncementsPage));
const ReportsPage = lazyPage(() => import('./reports/ReportsPage').then((m) => m.ReportsPage));
const SettingsPage = lazyPage(() => import('./settings/SettingsPage').then((m) => m.SettingsPage));

/** The IT admin pages (knowledge base, announcements, reports, settings), mounted by the shell. */
export const adminRoutes: ConsoleRoute[] = [
  {
    path: '/admin/articles',
    title: 'Knowledge base',
    nav: { label: 'Knowledge base', section: 'admin' },
    adminOnly: true,
    Component: adminOnly('Knowledge base', ArticlesPage),
  },
  // Before ":id", so that a router matching in order never reads "new" as an id.
  {
    path: '/admin/articles/new',
    title: 'New article',
    adminOnly: true,
    Component: adminOnly('New article', ArticleEditorPage),
  },
  {
    path: '/admin/articles/:id',
    title: 'Edit article',
    adminOnly: true,
    Component: adminOnly('Edit article', ArticleEditorPage),
  },
  {
    path: '/admin/announcements',
    title: 'Announcements',
    nav: { label: 'Announcements', section: 'admin' },
    adminOnly: true,
    Component: adminOnly('Announcements', AnnouncementsPage),
  },
  {
    path: '/admin/reports',
    title: 'Reports',
    nav: { label: 'Reports', section: 'admin' },
    adminOnly: true,
    Component: adminOnly('Reports', ReportsPage),
  },
  {
    path: '/admin/settings',
    title: 'Settings',
    nav: { label: 'Settings', section: 'admin' },
    adminOnly: true,
    Component: adminOnly('Settings', SettingsPage),
  },
  { path: '/admin/settings/:tab', title: 'Settings', adminOnly: true, Component: adminOnly('Settings', SettingsPage) },
];
