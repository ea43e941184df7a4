import { useEffect, useState, type ReactElement } from 'react';
import type { StaffRole } from '../../../shared/api/auth';
import { api } from './api';
import { AdminsOnly } from './ui';

type PageProps = { params: Record<string, string> };

// One look-up per page load: the role only changes with a new sign-in, which reloads the console.
let roleRequest: Promise<StaffRole | null> | null = null;

function currentRole(): Promise<StaffRole | null> {
  roleRequest ??= api
    .get<{ user: { role: StaffRole } }>('/api/v1/auth/session')
    .then((s) => s.user.role)
    .catch(() => {
      roleRequest = null;
      return null;
    });
  return roleRequest;
}

/** Wraps an admin page: technicians get a clear "admins only" message instead of failing requests. */
export function adminOnly(title: string, Page: (props: PageProps) => ReactElement): (props: PageProps) => ReactElement {
  return function AdminGate(props: PageProps): ReactElement {
    const [role, setRole] = useState<StaffRole | null | 'loading'>('loading');
    useEffect(() => {
      let live = true;
      void currentRole().then((r) => live && setRole(r));
      return () => {
        live = false;
      };
    }, []);
    if (role === 'loading')
      return (
        <div className="page muted" aria-busy="true">
          Loading…
        </div>
      );
    if (role !== 'admin') return <AdminsOnly title={title} />;
    return <Page {...props} />;
  };
}
