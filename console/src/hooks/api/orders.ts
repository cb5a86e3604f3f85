import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Order, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const ordersQueryKeys = {
  ...queryKeysFactory('orders'),
  history: (id: string) => ['orders', 'history', id] as const,
};

export interface OrderFilters {
  status?: Order['status'];
  awaiting?: NonNullable<Order['awaiting']>;
  customerId?: string;
  q?: string;
  /** ISO instants: created at or after, and before. */
  createdFrom?: string;
  createdTo?: string;
  /** Minor units, inclusive. */
  minTotal?: number;
  maxTotal?: number;
  /** Processing with at least one shipment (true), or any other order (false). */
  partlyShipped?: boolean;
}

const PAGE = 100;

/** Orders newest first, page by page (cursor), as far as the person scrolls or pages. */
export function useOrderPages(filters: OrderFilters, pageSize = PAGE) {
  return useInfiniteQuery({
    queryKey: ordersQueryKeys.list({ ...filters, pageSize }),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/orders', {
          params: { query: { ...filters, limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: ordersQueryKeys.detail(id),
    queryFn: async () => unwrap(await api.GET('/api/orders/{id}', { params: { path: { id } } })),
  });
}

/** The order's lines per stock location: shipped, ready and held at each, and where it may ship from. */
export function useOrderFulfilment(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...ordersQueryKeys.detail(id), 'fulfilment'],
    queryFn: async () => unwrap(await api.GET('/api/orders/{id}/fulfilment', { params: { path: { id } } })),
    enabled,
  });
}

/** The order's workflow in the Temporal web UI; asked only for admins (the API refuses anyone else). */
export function useWorkflowLink(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...ordersQueryKeys.detail(id), 'workflow-link'],
    queryFn: async () =>
      unwrap(await api.GET('/api/orders/{id}/workflow-link', { params: { path: { id } } })),
    enabled,
    staleTime: Infinity,
  });
}

export function useOrderHistory(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ordersQueryKeys.history(id),
    queryFn: async () => unwrap(await api.GET('/api/orders/{id}/history', { params: { path: { id } } })),
    enabled,
  });
}

/** Everything an order action changes: its detail, its history and every list it appears in. */
const afterAction = (order: Order) => [
  ordersQueryKeys.detail(order.id),
  ordersQueryKeys.history(order.id),
  ordersQueryKeys.lists(),
];

export type OrderActionInput =
  | { action: 'approve'; body: Schemas['ApproveOrderDto'] }
  | { action: 'reject' | 'cancel'; body: Schemas['ReasonDto'] }
  | { action: 'ship'; body: Schemas['ShipOrderDto'] }
  | { action: 'complete' | 'retryPayment'; body?: undefined }
  | { action: 'edit'; body: Schemas['EditOrderDto'] };

/** One of the staff actions on an order; answers the order after it. */
export function useOrderAction(id: string) {
  const queryClient = useQueryClient();
  return useApiMutation(
    async (input: OrderActionInput): Promise<Order> => {
      const path = { params: { path: { id } } };
      switch (input.action) {
        case 'approve':
          return unwrap(await api.POST('/api/orders/{id}/approve', { ...path, body: input.body }));
        case 'reject':
          return unwrap(await api.POST('/api/orders/{id}/reject', { ...path, body: input.body }));
        case 'cancel':
          return unwrap(await api.POST('/api/orders/{id}/cancel', { ...path, body: input.body }));
        case 'ship':
          return unwrap(await api.POST('/api/orders/{id}/ship', { ...path, body: input.body }));
        case 'complete':
          return unwrap(await api.POST('/api/orders/{id}/complete', { ...path, body: {} }));
        case 'retryPayment':
          return unwrap(await api.POST('/api/orders/{id}/retry-payment', { ...path, body: {} }));
        case 'edit':
          return unwrap(await api.PATCH('/api/orders/{id}', { ...path, body: input.body }));
      }
    },
    (order) => {
      queryClient.setQueryData(ordersQueryKeys.detail(order.id), order);
      return afterAction(order);
    },
  );
}

export type ShipmentInput = Schemas['CreateShipmentDto'];

/**
 * Ships some units of some lines (`POST /api/orders/:id/shipments`); answers the shipment. The order it
 * changed is read again (its lines' figures, its shipments, perhaps its status).
 */
export function useCreateShipment(id: string) {
  return useApiMutation(
    async (body: ShipmentInput) =>
      unwrap(await api.POST('/api/orders/{id}/shipments', { params: { path: { id } }, body })),
    () => [ordersQueryKeys.detail(id), ordersQueryKeys.history(id), ordersQueryKeys.lists()],
  );
}

/** Places an order under an Idempotency-Key chosen once per form, so a double click creates one order. */
export function useCreateOrder() {
  return useApiMutation(
    async ({ body, idempotencyKey }: { body: Schemas['CreateOrderDto']; idempotencyKey: string }) =>
      unwrap(
        await api.POST('/api/orders', { body, params: { header: { 'Idempotency-Key': idempotencyKey } } }),
      ),
    () => [ordersQueryKeys.lists()],
  );
}

export function useVerifyHistory(id: string) {
  return useApiMutation(
    async () => unwrap(await api.POST('/api/orders/{id}/history/verify', { params: { path: { id } } })),
    () => [],
  );
}

export type BulkOrderAction = Schemas['BulkOrderActionDto'];
export type BulkResult = Schemas['BulkResultItemDto'];

/**
 * One action on many orders in one request (`POST /api/orders/bulk`); answers a row per order, each ok or
 * refused on its own. Every list is refreshed after it, and the detail of each order it changed.
 */
export function useBulkOrderAction() {
  const queryClient = useQueryClient();
  return useApiMutation(
    async (body: BulkOrderAction) => unwrap(await api.POST('/api/orders/bulk', { body })).results,
    (results) => {
      for (const { order } of results)
        if (order) queryClient.setQueryData(ordersQueryKeys.detail(order.id), order);
      return [ordersQueryKeys.lists(), ...results.map(({ id }) => ordersQueryKeys.history(id))];
    },
  );
}
