import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, type BodyOf } from './http';

/** Webhooks and their delivery logs (admins), personal and service API tokens. */
export const integrationKeys = {
  webhooks: ['webhooks'] as const,
  deliveries: (id: number) => ['webhooks', id, 'deliveries'] as const,
  myTokens: ['api-tokens', 'mine'] as const,
  serviceTokens: ['api-tokens', 'service'] as const,
};

export function useWebhooks() {
  return useQuery({
    queryKey: integrationKeys.webhooks,
    queryFn: ({ signal }) => call('listWebhooks', { signal }),
    select: (answer) => answer.webhooks,
  });
}

/** A webhook's delivery log; refreshed while something is pending (retries land on their own). */
export function useWebhookDeliveries(id: number | null) {
  return useQuery({
    queryKey: integrationKeys.deliveries(id ?? 0),
    queryFn: ({ signal }) => call('listWebhookDeliveries', { params: { id: id ?? 0 }, signal }),
    select: (answer) => answer.deliveries,
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === 'pending') ? 5_000 : false),
  });
}

/** Every webhook change; the list and the logs (test, redeliver add deliveries) follow. */
export function useWebhookMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: integrationKeys.webhooks });
  return {
    create: useMutation({ mutationFn: (body: BodyOf<'createWebhook'>) => call('createWebhook', { body }), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: BodyOf<'updateWebhook'> }) =>
        call('updateWebhook', { params: { id }, body }),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: number) => call('deleteWebhook', { params: { id } }), onSuccess }),
    rotate: useMutation({ mutationFn: (id: number) => call('rotateWebhookSecret', { params: { id } }), onSuccess }),
    test: useMutation({ mutationFn: (id: number) => call('testWebhook', { params: { id } }), onSuccess }),
    redeliver: useMutation({
      mutationFn: (deliveryId: number) => call('redeliverWebhookDelivery', { params: { id: deliveryId } }),
      onSuccess,
    }),
  };
}

export function useMyTokens() {
  return useQuery({
    queryKey: integrationKeys.myTokens,
    queryFn: ({ signal }) => call('listMyTokens', { signal }),
    select: (answer) => answer.tokens,
  });
}

export function useServiceTokens() {
  return useQuery({
    queryKey: integrationKeys.serviceTokens,
    queryFn: ({ signal }) => call('listServiceTokens', { signal }),
    select: (answer) => answer.tokens,
  });
}

export function useMyTokenMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: integrationKeys.myTokens });
  return {
    create: useMutation({ mutationFn: (body: BodyOf<'createMyToken'>) => call('createMyToken', { body }), onSuccess }),
    revoke: useMutation({ mutationFn: (id: number) => call('revokeMyToken', { params: { id } }), onSuccess }),
  };
}

export function useServiceTokenMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: integrationKeys.serviceTokens });
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<'createServiceToken'>) => call('createServiceToken', { body }),
      onSuccess,
    }),
    revoke: useMutation({ mutationFn: (id: number) => call('revokeServiceToken', { params: { id } }), onSuccess }),
  };
}
