/**
 * Returns of shipped units (issue 25): the list, one return, the request from an order and the staff actions.
 * A return's change also changes its order (history, payment after a refund), so every action refreshes both.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';
import { ordersQueryKeys } from './orders';

export const returnsQueryKeys = queryKeysFactory('returns');

export type Return = Schemas['ReturnDto'];
export type ReturnStatus = Return['status'];
export type ReturnAction = Return['actions'][number];

/** How often a just-requested return is read again: its workflow approves a small one by itself. */
const REQUESTED_POLL_MS = 5000;

/**
 * Returns newest first (at most 200, the API's limit), by status and order. `keepPrevious` shows the last
 * answer while another filter loads (the list page); an order's returns never show another order's.
 */
export function useReturns(query: { status?: ReturnStatus; orderId?: string }, keepPrevious = false) {
  return useQuery({
    queryKey: returnsQueryKeys.list(query),
    queryFn: async () => unwrap(await api.GET('/api/returns', { params: { query } })),
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

export function useReturn(id: string) {
  return useQuery({
    queryKey: returnsQueryKeys.detail(id),
    queryFn: async () => unwrap(await api.GET('/api/returns/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'requested' ? REQUESTED_POLL_MS : false),
  });
}

/** What a return's change touches besides the return itself: every return list and its order. */
const afterChange = (ret: Pick<Return, 'orderId'>) => [
  returnsQueryKeys.lists(),
  ordersQueryKeys.detail(ret.orderId),
  ordersQueryKeys.history(ret.orderId),
];

/** Asks back shipped units of the order (staff). */
/** Requests a return under an Idempotency-Key chosen once per form, so a double click requests one return. */
export function useCreateReturn(orderId: string) {
  const queryClient = useQueryClient();
  return useApiMutation(
    async ({ body, idempotencyKey }: { body: Schemas['CreateReturnDto']; idempotencyKey: string }) =>
      unwrap(
        await api.POST('/api/orders/{id}/returns', {
          params: { path: { id: orderId }, header: { 'Idempotency-Key': idempotencyKey } },
          body,
        }),
      ),
    (ret) => {
      queryClient.setQueryData(returnsQueryKeys.detail(ret.id), ret);
      return afterChange(ret);
    },
  );
}

export type ReturnActionInput =
  | { action: 'approve' | 'close'; body?: undefined }
  | { action: 'reject'; body: Schemas['ReasonDto'] }
  | { action: 'receive'; body: Schemas['ReceiveReturnDto'] }
  | { action: 'refund'; body: Schemas['RefundReturnDto'] };

/** One of the staff actions on a return; answers the return after it. */
export function useReturnAction(id: string) {
  const queryClient = useQueryClient();
  return useApiMutation(
    async (input: ReturnActionInput): Promise<Return> => {
      const path = { params: { path: { id } } };
      switch (input.action) {
        case 'approve':
          return unwrap(await api.POST('/api/returns/{id}/approve', { ...path, body: {} }));
        case 'close':
          return unwrap(await api.POST('/api/returns/{id}/close', { ...path, body: {} }));
        case 'reject':
          return unwrap(await api.POST('/api/returns/{id}/reject', { ...path, body: input.body }));
        case 'receive':
          return unwrap(await api.POST('/api/returns/{id}/receive', { ...path, body: input.body }));
        case 'refund':
          return unwrap(await api.POST('/api/returns/{id}/refund', { ...path, body: input.body }));
      }
    },
    (ret) => {
      queryClient.setQueryData(returnsQueryKeys.detail(ret.id), ret);
      return afterChange(ret);
    },
  );
}
