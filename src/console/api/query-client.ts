/*
 * The console's one data layer: TanStack Query. Every server read is a query keyed by its endpoint
 * and input (the key factories sit in the per-domain `*.queries.ts` modules beside this file), and
 * every write is a mutation that invalidates or updates the keys it changes, so every screen that
 * shows the data shows the change at once, without a reload.
 */
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './http';

declare module '@tanstack/react-query' {
  interface Register {
    // Requests fail only with ApiError (see http.ts); pages show its message and code.
    defaultError: ApiError;
  }
}

/** A client with the console's defaults; the shell makes one, each component test its own. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A failed read shows its error with a "Try again" button at once (as before); no hidden retries.
        retry: false,
        // Polling pages say so with refetchInterval; a focus change alone does not refetch.
        refetchOnWindowFocus: false,
        // Data a page just read is reused for a moment by the next page that needs it (the staff
        // pickers, the groups), and read again when older than that.
        staleTime: 2_000,
      },
      mutations: { retry: false },
    },
  });
}

/** Any thrown value as an ApiError, so pages show one kind of message. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error));
}
