import type { ReactElement } from 'react';
import { useSession } from '../../app/session';
import { AdminsOnly } from './ui';

type PageProps = { params: Record<string, string> };

/** Wraps an admin page: technicians get a clear "admins only" message instead of failing requests. */
export function adminOnly(title: string, Page: (props: PageProps) => ReactElement): (props: PageProps) => ReactElement {
  return function AdminGate(props: PageProps): ReactElement {
    // The role comes with the session the shell holds (it changes only with a new sign-in).
    const { user } = useSession();
    if (user.role !== 'admin') return <AdminsOnly title={title} />;
    return <Page {...props} />;
  };
}
