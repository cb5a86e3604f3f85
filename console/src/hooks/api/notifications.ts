import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const notificationsQueryKeys = queryKeysFactory('notifications');

export function useNotifications(unread: boolean) {
  return useQuery({
    queryKey: notificationsQueryKeys.list({ unread }),
    queryFn: async () =>
      unwrap(await api.GET('/api/notifications', { params: { query: { unread, limit: 200 } } })),
    refetchInterval: 30_000,
  });
}

export function useMarkRead() {
  return useApiMutation(
    async (id: string) =>
      unwrap(await api.POST('/api/notifications/{id}/read', { params: { path: { id } } })),
    () => [notificationsQueryKeys.all],
  );
}
