import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/client';
import { useApiMutation } from '../../lib/query';
import { ordersQueryKeys } from './orders';

/** The order's e-mail conversation with its customer (docs/inbound-mail.md). */
const messagesKey = (orderId: string) => [...ordersQueryKeys.detail(orderId), 'messages'] as const;

export function useOrderMessages(orderId: string) {
  return useQuery({
    queryKey: messagesKey(orderId),
    queryFn: async () =>
      unwrap(await api.GET('/api/orders/{id}/messages', { params: { path: { id: orderId } } })),
  });
}

export function useSendOrderMessage(orderId: string) {
  return useApiMutation(
    async (text: string) =>
      unwrap(
        await api.POST('/api/orders/{id}/messages', { params: { path: { id: orderId } }, body: { text } }),
      ),
    () => [messagesKey(orderId)],
  );
}
