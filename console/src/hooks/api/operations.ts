import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import type { operations } from '../../lib/api.gen';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const deliveriesQueryKeys = queryKeysFactory('deliveries');
export const webhooksQueryKeys = queryKeysFactory('webhooks');
export const overdueQueryKeys = queryKeysFactory('overdue');
export const auditQueryKeys = queryKeysFactory('audit');
export const usersQueryKeys = queryKeysFactory('users');

type DeliveryQuery = Omit<NonNullable<operations['listDeliveries']['parameters']['query']>, 'limit'>;
type AuditQuery = Omit<NonNullable<operations['listAuditRecords']['parameters']['query']>, 'limit'>;

export function useDeliveries(query: DeliveryQuery) {
  return useQuery({
    queryKey: deliveriesQueryKeys.list(query),
    queryFn: async () =>
      unwrap(await api.GET('/api/deliveries', { params: { query: { ...query, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useResendDelivery() {
  return useApiMutation(
    async (id: string) => unwrap(await api.POST('/api/deliveries/{id}/resend', { params: { path: { id } } })),
    () => [deliveriesQueryKeys.all],
  );
}

export function useOverdue() {
  return useQuery({
    queryKey: overdueQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/escalations/overdue', { params: { query: {} } })),
    refetchInterval: 30_000,
  });
}

export function useWebhooks() {
  return useQuery({
    queryKey: webhooksQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/webhooks')),
  });
}

export function useCreateWebhook() {
  return useApiMutation(
    async (body: Schemas['CreateWebhookDto']) => unwrap(await api.POST('/api/webhooks', { body })),
    () => [webhooksQueryKeys.all],
  );
}

export function useDeleteWebhook() {
  return useApiMutation(
    async (id: string) => unwrap(await api.DELETE('/api/webhooks/{id}', { params: { path: { id } } })),
    () => [webhooksQueryKeys.all],
  );
}

export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: auditQueryKeys.list(query),
    queryFn: async () => unwrap(await api.GET('/api/audit', { params: { query: { ...query, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useUsers() {
  return useQuery({
    queryKey: usersQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/users')),
  });
}

export function useCreateUser() {
  return useApiMutation(
    async (body: Schemas['CreateUserDto']) => unwrap(await api.POST('/api/users', { body })),
    () => [usersQueryKeys.all],
  );
}

export function useUpdateUser() {
  return useApiMutation(
    async ({ id, body }: { id: string; body: Schemas['UpdateUserDto'] }) =>
      unwrap(await api.PATCH('/api/users/{id}', { params: { path: { id } }, body })),
    () => [usersQueryKeys.all],
  );
}
