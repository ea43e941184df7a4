import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MailKind } from '../../shared/mail/mail-kinds';
import { call, type BodyOf } from './http';

/** Email out: SMTP settings, templates, the outbox (admins) and each person's notification choices. */
export const mailKeys = {
  settings: ['mail', 'settings'] as const,
  templates: ['mail', 'templates'] as const,
  outbox: (view: 'problems' | 'all') => ['mail', 'outbox', view] as const,
  outboxAll: ['mail', 'outbox'] as const,
  myPreferences: ['mail', 'my-preferences'] as const,
};

export function useMailSettings() {
  return useQuery({ queryKey: mailKeys.settings, queryFn: ({ signal }) => call('getMailSettings', { signal }) });
}

export function useSaveMailSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'putMailSettings'>) => call('putMailSettings', { body }),
    onSuccess: (saved) => client.setQueryData(mailKeys.settings, saved),
  });
}

export function useSendTestMail() {
  return useMutation({ mutationFn: (to: string) => call('sendTestMail', { body: { to } }) });
}

export function useMailTemplates() {
  return useQuery({
    queryKey: mailKeys.templates,
    queryFn: ({ signal }) => call('listMailTemplates', { signal }),
    select: (answer) => answer.templates,
  });
}

export function useMailTemplateMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: mailKeys.templates });
  return {
    save: useMutation({
      mutationFn: ({ kind, body }: { kind: MailKind; body: BodyOf<'putMailTemplate'> }) =>
        call('putMailTemplate', { params: { kind }, body }),
      onSuccess,
    }),
    reset: useMutation({
      mutationFn: (kind: MailKind) => call('resetMailTemplate', { params: { kind } }),
      onSuccess,
    }),
  };
}

/** Renders the editor's (unsaved) text on the server, as the mail would be sent. */
export function previewMailTemplate(kind: MailKind, body: BodyOf<'previewMailTemplate'>, signal?: AbortSignal) {
  return call('previewMailTemplate', { params: { kind }, body, signal });
}

export function useOutbox(view: 'problems' | 'all') {
  return useQuery({
    queryKey: mailKeys.outbox(view),
    queryFn: ({ signal }) => call('listOutbox', { query: { view }, signal }),
    refetchInterval: 15_000,
  });
}

export function useRetryMail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => call('retryOutboxMail', { params: { id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: mailKeys.outboxAll }),
  });
}

export function useMyMailPreferences() {
  return useQuery({
    queryKey: mailKeys.myPreferences,
    queryFn: ({ signal }) => call('getMyMailPreferences', { signal }),
    select: (answer) => answer.preferences,
  });
}

export function useSaveMyMailPreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'putMyMailPreferences'>) => call('putMyMailPreferences', { body }),
    onSuccess: (saved) => client.setQueryData(mailKeys.myPreferences, saved),
  });
}
