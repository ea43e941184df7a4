import type { ReactElement } from 'react';

/** A page of the console in the shell's route table (rendered by wouter's <Switch>, in table order). */
export interface ConsoleRoute {
  /** wouter path pattern with named segments, e.g. "/admin/articles/:id". */
  path: string;
  /** Document title for the page. */
  title: string;
  /** Present when the page has an entry in the side navigation. */
  nav?: { label: string; section: 'work' | 'admin' };
  /** Only admins see and reach it. */
  adminOnly?: boolean;
  Component: (props: { params: Record<string, string> }) => ReactElement;
}
