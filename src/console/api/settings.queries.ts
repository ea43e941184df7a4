import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { OPENAPI_PATH } from '../../shared/api/endpoint-routes';
import type { CategorySettingDto } from '../../shared/api/settings';
import { call, request, type BodyOf } from './http';
import { staffKeys } from './staff.queries';

/** The help-desk settings an admin edits and every screen reads: groups, categories, SLA, enrollment. */
export const settingsKeys = {
  groups: ['groups'] as const,
  categories: ['settings', 'categories'] as const,
  slaPolicies: ['sla', 'policies'] as const,
  escalationRules: ['sla', 'escalation-rules'] as const,
  enrollSecrets: ['enroll-secrets'] as const,
  serverVersion: ['server-version'] as const,
};

// ---- Groups / tiers ----

/** The registered support groups (pickers on the ticket page, staff and escalation settings). */
export function useGroups() {
  return useQuery({
    queryKey: settingsKeys.groups,
    queryFn: ({ signal }) => call('listGroups', { signal }),
    select: (answer) => answer.groups,
  });
}

/** Creates, changes or deletes a group; group lists and the staff (whose group may change) follow. */
export function useGroupMutations() {
  const client = useQueryClient();
  const onSuccess = async () => {
    await client.invalidateQueries({ queryKey: settingsKeys.groups });
    await client.invalidateQueries({ queryKey: staffKeys.all });
  };
  return {
    create: useMutation({ mutationFn: (body: BodyOf<'createGroup'>) => call('createGroup', { body }), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: BodyOf<'updateGroup'> }) =>
        call('updateGroup', { params: { id }, body }),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: number) => call('deleteGroup', { params: { id } }), onSuccess }),
  };
}

// ---- Categories ----

/** The category labels and which are offered. */
export function useCategories() {
  return useQuery({
    queryKey: settingsKeys.categories,
    queryFn: ({ signal }) => call('getCategories', { signal }),
    select: (answer) => answer.categories,
  });
}

/** Saves the categories; the saved set replaces the cached one. */
export function useSaveCategories() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (categories: CategorySettingDto[]) => call('replaceCategories', { body: { categories } }),
    onSuccess: (saved) => client.setQueryData(settingsKeys.categories, saved),
  });
}

// ---- SLA policies and escalation rules ----

export function useSlaPolicies() {
  return useQuery({
    queryKey: settingsKeys.slaPolicies,
    queryFn: ({ signal }) => call('listSlaPolicies', { signal }),
    select: (answer) => answer.policies,
  });
}

/** Replaces one priority's policy (PUT /sla/policies answers the saved policy). */
export function useSaveSlaPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'replaceSlaPolicies'>) => call('replaceSlaPolicies', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.slaPolicies }),
  });
}

export function useEscalationRules() {
  return useQuery({
    queryKey: settingsKeys.escalationRules,
    queryFn: ({ signal }) => call('listEscalationRules', { signal }),
    select: (answer) => answer.rules,
  });
}

export function useEscalationRuleMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: settingsKeys.escalationRules });
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<'createEscalationRule'>) => call('createEscalationRule', { body }),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: BodyOf<'updateEscalationRule'> }) =>
        call('updateEscalationRule', { params: { id }, body }),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => call('deleteEscalationRule', { params: { id } }),
      onSuccess,
    }),
  };
}

// ---- Enrollment ----

export function useEnrollSecrets() {
  return useQuery({
    queryKey: settingsKeys.enrollSecrets,
    queryFn: ({ signal }) => call('listEnrollSecrets', { signal }),
    select: (answer) => answer.secrets,
  });
}

export function useEnrollSecretMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: settingsKeys.enrollSecrets });
  return {
    create: useMutation({
      mutationFn: (name: string) => call('createEnrollSecret', { body: { name } }),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => call('deleteEnrollSecret', { params: { id } }),
      onSuccess,
    }),
  };
}

/**
 * The server's version (the agent packages carry it), from its OpenAPI document: not an endpoint of
 * the table (the document describes the table), so it is asked by its path.
 */

export function useServerVersion() {
  return useQuery({
    queryKey: settingsKeys.serverVersion,
    queryFn: ({ signal }) => request<{ info: { version: string } }>('GET', OPENAPI_PATH, undefined, { signal }),
    select: (answer) => answer.info.version,
    staleTime: Infinity,
  });
}
