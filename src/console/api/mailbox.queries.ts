import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MailImportOutcome } from '../../shared/api/mailbox';
import { call, type BodyOf } from './http';

/** Email in: how mail reaches the help desk, its connection test, and the import log (admins). */
export const mailboxKeys = {
  settings: ['mail', 'mailbox'] as const,
  importsAll: ['mail', 'imports'] as const,
  imports: (outcome: MailImportOutcome | null) => ['mail', 'imports', outcome] as const,
};

/** Rows per page of the import log. */
export const IMPORTS_PAGE = 25;

export function useMailbox() {
  return useQuery({ queryKey: mailboxKeys.settings, queryFn: ({ signal }) => call('getMailbox', { signal }) });
}

export function useSaveMailbox() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'putMailbox'>) => call('putMailbox', { body }),
    onSuccess: (saved) => client.setQueryData(mailboxKeys.settings, saved),
  });
}

/** Checks the saved settings overlaid with the form's unsaved values. */
export function useTestMailbox() {
  return useMutation({ mutationFn: (body: BodyOf<'testMailbox'>) => call('testMailbox', { body }) });
}

/** The import log for an outcome (null: all), by pages of IMPORTS_PAGE, read again every 15 s. */
export function useMailImports(outcome: MailImportOutcome | null) {
  return useInfiniteQuery({
    queryKey: mailboxKeys.imports(outcome),
    queryFn: ({ pageParam, signal }) =>
      call('listMailImports', {
        query: { limit: IMPORTS_PAGE, cursor: pageParam, ...(outcome ? { outcome } : {}) },
        signal,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
}

/** Imports a failed message again from the bytes the log kept; the log shows what it became. */
export function useRetryMailImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => call('retryMailImport', { params: { id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: mailboxKeys.importsAll }),
  });
}
