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

/** The actions that make an order a task for the person who may take them, in the order they matter. */
export const TASK_KINDS = ['approve', 'retryPayment', 'ship', 'complete'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
const OPEN_STATUSES = ['created', 'processing', 'shipped'] as const;

/**
 * The signed-in person's tasks: open orders whose `actions` (decided by the API) include one of the task
 * kinds, oldest wait first. Reads up to 500 open orders per status.
 */
export function useMyTasks(enabled = true) {
  return useQuery({
    queryKey: [...ordersQueryKeys.lists(), 'tasks'],
    enabled,
    queryFn: async () => {
      const pages = await Promise.all(
        OPEN_STATUSES.map(async (status) =>
          unwrap(await api.GET('/api/orders', { params: { query: { status, limit: 500 } } })),
        ),
      );
      const tasks = pages
        .flatMap((page) => page.items)
        .flatMap((order) => {
          const kind = TASK_KINDS.find((candidate) => order.actions.includes(candidate));
          return kind ? [{ kind, order }] : [];
        })
        .sort((a, b) =>
          (a.order.awaitingSince ?? a.order.updatedAt).localeCompare(
            b.order.awaitingSince ?? b.order.updatedAt,
          ),
        );
      const counts = Object.fromEntries(
        TASK_KINDS.map((kind) => [kind, tasks.filter((task) => task.kind === kind).length]),
      ) as Record<TaskKind, number>;
      return { tasks, counts };
    },
  });
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
