import { createContext, useContext } from 'react';
import type { StaffUserDto } from '../../shared/api/auth';

/** The signed-in staff member and how to sign out. */
export interface Session {
  user: StaffUserDto;
  signOut(): Promise<void>;
}

/** Provided by the shell once signed in. */
export const SessionContext = createContext<Session | null>(null);

/** The current session; pages render only inside a signed-in shell. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in shell');
  return session;
}
