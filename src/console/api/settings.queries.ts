import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { pathOf } from '../../shared/api/endpoint-routes';
import type { CategorySettingDto, GroupDto } from '../../shared/api/settings';
import type { EscalationRuleDto, SlaPolicyDto } from '../../shared/api/sla';
import { api } from './http';
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
    queryFn: ({ signal }) => api.get<{ groups: GroupDto[] }>(pathOf('listGroups'), undefined, { signal }),
    select: (answer) => answer.groups,
  });
}

export type GroupFields = { name: string; tier: number; description: string };

/** Creates, changes or deletes a group; group lists and the staff (whose group may change) follow. */
export function useGroupMutations() {
  const client = useQueryClient();
  const onSuccess = async () => {
    await client.invalidateQueries({ queryKey: settingsKeys.groups });
    await client.invalidateQueries({ queryKey: staffKeys.all });
  };
  return {
    create: useMutation({ mutationFn: (body: GroupFields) => api.post(pathOf('createGroup'), body), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: GroupFields }) => api.patch(pathOf('updateGroup', { id }), body),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: number) => api.delete(pathOf('deleteGroup', { id })), onSuccess }),
  };
}

// ---- Categories ----

/** The category labels and which are offered. */
export function useCategories() {
  return useQuery({
    queryKey: settingsKeys.categories,
    queryFn: ({ signal }) =>
      api.get<{ categories: CategorySettingDto[] }>(pathOf('getCategories'), undefined, { signal }),
    select: (answer) => answer.categories,
  });
}

/** Saves the categories; the saved set replaces the cached one. */
export function useSaveCategories() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (categories: CategorySettingDto[]) =>
      api.put<{ categories: CategorySettingDto[] }>(pathOf('replaceCategories'), { categories }),
    onSuccess: (saved) => client.setQueryData(settingsKeys.categories, saved),
  });
}

// ---- SLA policies and escalation rules ----

export function useSlaPolicies() {
  return useQuery({
    queryKey: settingsKeys.slaPolicies,
    queryFn: ({ signal }) => api.get<{ policies: SlaPolicyDto[] }>(pathOf('listSlaPolicies'), undefined, { signal }),
    select: (answer) => answer.policies,
  });
}

/** Replaces one priority's policy (PUT /sla/policies answers the saved policy). */
export function useSaveSlaPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api.put<SlaPolicyDto>(pathOf('replaceSlaPolicies'), body),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.slaPolicies }),
  });
}

export function useEscalationRules() {
  return useQuery({
    queryKey: settingsKeys.escalationRules,
    queryFn: ({ signal }) =>
      api.get<{ rules: EscalationRuleDto[] }>(pathOf('listEscalationRules'), undefined, { signal }),
    select: (answer) => answer.rules,
  });
}

export function useEscalationRuleMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: settingsKeys.escalationRules });
  return {
    create: useMutation({
      mutationFn: (body: unknown) => api.post(pathOf('createEscalationRule'), body),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: unknown }) =>
        api.patch(pathOf('updateEscalationRule', { id }), body),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api.delete(pathOf('deleteEscalationRule', { id })),
      onSuccess,
    }),
  };
}

// ---- Enrollment ----

/** An enrollment secret as listed (never the secret itself). */
export interface EnrollSecretInfo {
  id: number;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  uses: number;
}

export function useEnrollSecrets() {
  return useQuery({
    queryKey: settingsKeys.enrollSecrets,
    queryFn: ({ signal }) =>
      api.get<{ secrets: EnrollSecretInfo[] }>(pathOf('listEnrollSecrets'), undefined, { signal }),
    select: (answer) => answer.secrets,
  });
}

export function useEnrollSecretMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: settingsKeys.enrollSecrets });
  return {
    create: useMutation({
      mutationFn: (name: string) => api.post<{ id: number; secret: string }>(pathOf('createEnrollSecret'), { name }),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api.delete(pathOf('deleteEnrollSecret', { id })),
      onSuccess,
    }),
  };
}

/*
 * The server's version (the agent packages carry it), from its OpenAPI document. That document is
 * not an endpoint of the table (ROUTES), so its path is derived from the table's prefix here.
 */
const OPENAPI_PATH = pathOf('getSession').replace(/auth\/session$/, 'openapi.json');

export function useServerVersion() {
  return useQuery({
    queryKey: settingsKeys.serverVersion,
    queryFn: ({ signal }) => api.get<{ info: { version: string } }>(OPENAPI_PATH, undefined, { signal }),
    select: (answer) => answer.info.version,
    staleTime: Infinity,
  });
}
