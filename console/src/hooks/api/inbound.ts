import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/client';
import { useApiMutation } from '../../lib/query';

/** Incoming e-mail no order claimed, for staff to file (docs/inbound-mail.md). */
const inboundKey = ['inbound', 'open'] as const;

export function useOpenInbound() {
  return useQuery({
    queryKey: inboundKey,
    queryFn: async () => unwrap(await api.GET('/api/inbound', { params: { query: { status: 'open' } } })),
  });
}

export interface FileInbound {
  id: string;
  as: 'feedback' | 'order-draft' | 'message';
  orderId?: string;
}

export function useFileInbound() {
  return useApiMutation(
    async ({ id, ...body }: FileInbound) =>
      unwrap(await api.POST('/api/inbound/{id}/file', { params: { path: { id } }, body })),
    () => [inboundKey],
  );
}

export function useCloseInbound() {
  return useApiMutation(
    async (id: string) => unwrap(await api.POST('/api/inbound/{id}/close', { params: { path: { id } } })),
    () => [inboundKey],
  );
}

/** The order with exactly this number (any case), or null. */
export async function findOrderByNumber(number: string): Promise<{ id: string; number: string } | null> {
  const wanted = number.trim().toUpperCase();
  const page = unwrap(await api.GET('/api/orders', { params: { query: { q: wanted, limit: 20 } } }));
  return page.items.find((order) => order.number.toUpperCase() === wanted) ?? null;
}

/** Where a kept attachment is downloaded (the session cookie signs the request in). */
export const inboundAttachmentUrl = (id: string, n: number) =>
  `/api/inbound/${encodeURIComponent(id)}/attachments/${n}`;
