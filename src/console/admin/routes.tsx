import type { ConsoleRoute } from '../routing-types';
import { AnnouncementsPage } from './announcements/AnnouncementsPage';
import { ArticleEditorPage } from './articles/ArticleEditorPage';
import { ArticlesPage } from './articles/ArticlesPage';
import { adminOnly } from './common/admin-gate';
import { ReportsPage } from './reports/ReportsPage';
import { SettingsPage } from './settings/SettingsPage';

/** The IT admin pages (knowledge base, announcements, reports, settings), mounted by the shell. */
export const adminRoutes: ConsoleRoute[] = [
  { path: '/admin/articles', title: 'Knowledge base', nav: { label: 'Knowledge base', section: 'admin' }, adminOnly: true, Component: adminOnly('Knowledge base', ArticlesPage) },
  // Before ":id", so that a router matching in order never reads "new" as an id.
  { path: '/admin/articles/new', title: 'New article', adminOnly: true, Component: adminOnly('New article', ArticleEditorPage) },
  { path: '/admin/articles/:id', title: 'Edit article', adminOnly: true, Component: adminOnly('Edit article', ArticleEditorPage) },
  { path: '/admin/announcements', title: 'Announcements', nav: { label: 'Announcements', section: 'admin' }, adminOnly: true, Component: adminOnly('Announcements', AnnouncementsPage) },
  { path: '/admin/reports', title: 'Reports', nav: { label: 'Reports', section: 'admin' }, adminOnly: true, Component: adminOnly('Reports', ReportsPage) },
  { path: '/admin/settings', title: 'Settings', nav: { label: 'Settings', section: 'admin' }, adminOnly: true, Component: adminOnly('Settings', SettingsPage) },
  { path: '/admin/settings/:tab', title: 'Settings', adminOnly: true, Component: adminOnly('Settings', SettingsPage) },
];
