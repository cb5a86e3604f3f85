/**
 * The tab's one connection to `/api/events`: each `order.updated` patches the order wherever it is cached
 * and refreshes the lists soon after. When the stream drops (API restart, network), it reconnects with
 * growing pauses and refreshes everything about orders, since events may have been missed meanwhile.
 */
import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ordersQueryKeys } from '../hooks/api/orders';
import type { Order, Schemas } from './client';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

interface OrderEvent {
  type: 'order.updated';
  orderId: string;
  status: Order['status'];
  awaiting: Order['awaiting'];
}

function patch(order: Order, event: OrderEvent): Order {
  return order.id === event.orderId ? { ...order, status: event.status, awaiting: event.awaiting } : order;
}

function isPaged(data: unknown): data is InfiniteData<Schemas['OrderPageDto']> {
  return typeof data === 'object' && data !== null && Array.isArray((data as { pages?: unknown }).pages);
}

function apply(queryClient: QueryClient, event: OrderEvent): void {
  // Board pages are patched at once; other lists (tasks) are refreshed shortly after.
  queryClient.setQueriesData({ queryKey: ordersQueryKeys.lists() }, (data: unknown) =>
    isPaged(data)
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((order) => patch(order, event)),
          })),
        }
      : data,
  );
  // The detail carries more than the event (actions, payment, shipment): read it again.
  void queryClient.invalidateQueries({ queryKey: ordersQueryKeys.detail(event.orderId) });
  void queryClient.invalidateQueries({ queryKey: ordersQueryKeys.history(event.orderId) });
}

const LIST_REFRESH_MS = 400;
const MAX_PAUSE_MS = 15_000;

/** Opens the stream while `enabled` (signed in); returns its state for the header's indicator. */
export function useOrderEventStream(enabled: boolean): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let pause = 1000;
    let retry: number | undefined;
    let refresh: number | undefined;
    let dropped = false;
    let closed = false;

    const refreshLists = () => {
      window.clearTimeout(refresh);
      refresh = window.setTimeout(
        () => void queryClient.invalidateQueries({ queryKey: ordersQueryKeys.lists() }),
        LIST_REFRESH_MS,
      );
    };

    const connect = () => {
      source = new EventSource('/api/events');
      source.onopen = () => {
        setState('live');
        pause = 1000;
        if (dropped) void queryClient.invalidateQueries({ queryKey: ordersQueryKeys.all });
        dropped = false;
      };
      source.addEventListener('order.updated', (message) => {
        apply(queryClient, JSON.parse((message as MessageEvent<string>).data) as OrderEvent);
        refreshLists();
      });
      source.onerror = () => {
        dropped = true;
        setState('reconnecting');
        // The browser retries by itself unless the answer was final (e.g. a 401 or 503); then we do.
        if (source?.readyState === EventSource.CLOSED && !closed) {
          retry = window.setTimeout(connect, pause);
          pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
      };
    };
    connect();
    return () => {
      closed = true;
      window.clearTimeout(retry);
      window.clearTimeout(refresh);
      source?.close();
    };
  }, [enabled, queryClient]);
  return state;
}
