/**
 * Work assignment (issue 26): the task lists, who holds an order or a return, delegation while away and the
 * waiting report. Task lists live under the orders' list key, so everything that refreshes the order lists
 * (an action, the live event stream) refreshes them too.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { useApiMutation } from '../../lib/query';
import { ordersQueryKeys } from './orders';
import { reportsQueryKeys } from './reports';
import { returnsQueryKeys } from './returns';

export type Task = Schemas['TaskDto'];
export type TaskScope = Schemas['TaskListDto']['scope'];
export type Assignee = Schemas['AssigneeDto'];

/** The most one list shows (the API's limit). */
export const TASK_LIMIT = 200;
/** Counts in the navigation are also read this often, for changes no order event announces (a claim). */
const COUNT_POLL_MS = 20_000;

export const tasksQueryKeys = {
  all: [...ordersQueryKeys.lists(), 'tasks'] as const,
  list: (scope: TaskScope) => [...ordersQueryKeys.lists(), 'tasks', scope] as const,
  people: ['tasks', 'people'] as const,
  delegation: ['auth', 'me', 'delegate'] as const,
};

/** What waits in the scope, oldest wait first. `poll` also reads it every few seconds (navigation counts). */
export function useTasks(scope: TaskScope, enabled = true, poll = false) {
  return useQuery({
    queryKey: tasksQueryKeys.list(scope),
    enabled,
    queryFn: async () =>
      unwrap(await api.GET('/api/tasks', { params: { query: { scope, limit: TASK_LIMIT } } })),
    ...(poll ? { refetchInterval: COUNT_POLL_MS } : {}),
    placeholderData: keepPreviousData,
  });
}

/** Enabled staff, managers and admins: whom work may be assigned to or delegated to. */
export function useTaskPeople(enabled = true) {
  return useQuery({
    queryKey: tasksQueryKeys.people,
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/tasks/people')),
    staleTime: 60_000,
  });
}

export type HoldAction = { action: 'claim' } | { action: 'unclaim' } | { action: 'assign'; userId: string };

/** Claims, frees or assigns an order or a return; refreshes it, its order and every list (tasks included). */
export function useHold(subject: { kind: 'order' | 'return'; id: string; orderId: string }) {
  const queryClient = useQueryClient();
  return useApiMutation(
    async (input: HoldAction): Promise<unknown> => {
      const path = { params: { path: { id: subject.id } }, body: {} };
      if (subject.kind === 'order') {
        if (input.action === 'claim') return unwrap(await api.POST('/api/orders/{id}/claim', path));
        if (input.action === 'unclaim') return unwrap(await api.POST('/api/orders/{id}/unclaim', path));
        return unwrap(
          await api.POST('/api/orders/{id}/assign', { params: path.params, body: { userId: input.userId } }),
        );
      }
      if (input.action === 'claim') return unwrap(await api.POST('/api/returns/{id}/claim', path));
      if (input.action === 'unclaim') return unwrap(await api.POST('/api/returns/{id}/unclaim', path));
      return unwrap(
        await api.POST('/api/returns/{id}/assign', { params: path.params, body: { userId: input.userId } }),
      );
    },
    (output) => {
      if (subject.kind === 'order' && output)
        queryClient.setQueryData(ordersQueryKeys.detail(subject.id), output);
      const order = [ordersQueryKeys.detail(subject.orderId), ordersQueryKeys.lists()];
      return subject.kind === 'return'
        ? [returnsQueryKeys.detail(subject.id), returnsQueryKeys.lists(), ...order]
        : order;
    },
  );
}

/** The signed-in person's delegation (also one that has run out), for staff, managers and admins. */
export function useDelegation(enabled = true) {
  return useQuery({
    queryKey: tasksQueryKeys.delegation,
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/auth/me/delegate')),
  });
}

export function useSetDelegation() {
  const queryClient = useQueryClient();
  return useApiMutation(
    async (body: Schemas['DelegateDto']) => unwrap(await api.PUT('/api/auth/me/delegate', { body })),
    (delegation) => {
      queryClient.setQueryData(tasksQueryKeys.delegation, delegation);
      return [];
    },
  );
}

/** Where work waits now: stages × waited-time buckets. */
export function useWaitingReport() {
  return useQuery({
    queryKey: reportsQueryKeys.list({ report: 'waiting' }),
    queryFn: async () => unwrap(await api.GET('/api/reports/waiting')),
    refetchInterval: 60_000,
  });
}
