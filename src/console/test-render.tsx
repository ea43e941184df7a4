/*
 * For the console's component tests: renders a piece of the console the way the shell provides it,
 * with a fresh data layer (its own QueryClient, so no test sees another's cache) and, when given, a
 * signed-in session. Not part of the bundle (only *.test.tsx import it).
 */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { StaffUserDto } from '../shared/api/auth';
import { createQueryClient } from './api/query-client';
import { SessionContext } from './app/session';

/** A signed-in technician for tests that need a session. */
export const TEST_USER: StaffUserDto = {
  id: 1,
  email: 'tess@acme.example',
  name: 'Tess Tech',
  role: 'technician',
  group: null,
};

export function renderWithData(
  ui: ReactElement,
  options: { user?: StaffUserDto; client?: QueryClient } = {},
): RenderResult & { client: QueryClient } {
  const client = options.client ?? createQueryClient();
  const session = options.user ? { user: options.user, signOut: async () => undefined } : null;
  const view = render(
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={session}>{ui}</SessionContext.Provider>
    </QueryClientProvider>,
  );
  return { ...view, client };
}
