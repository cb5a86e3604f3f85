import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const quotesQueryKeys = queryKeysFactory('quotes');
export const apiKeysQueryKeys = queryKeysFactory('api-keys');

export type Quote = Schemas['QuoteDto'];
export type QuoteStatus = Quote['status'];

/** Quotes newest first (the API's status filter counts an unanswered quote past `validUntil` as expired). */
export function useQuotes(query: { status?: QuoteStatus; customerId?: string }) {
  return useQuery({
    queryKey: quotesQueryKeys.list(query),
    queryFn: async () =>
      unwrap(await api.GET('/api/quotes', { params: { query: { ...query, limit: 500 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useQuote(id: string) {
  return useQuery({
    queryKey: quotesQueryKeys.detail(id),
    queryFn: async () => unwrap(await api.GET('/api/quotes/{id}', { params: { path: { id } } })),
    // A sent quote is answered by the customer outside the console: look again now and then.
    refetchInterval: (query) => (query.state.data?.status === 'sent' ? 5000 : false),
  });
}

export function useCreateQuote() {
  return useApiMutation(
    async (body: Schemas['CreateQuoteDto']) => unwrap(await api.POST('/api/quotes', { body })),
    () => [quotesQueryKeys.lists()],
  );
}

/** E-mails the quote to its customer (again, when it was sent before). */
export function useSendQuote(id: string) {
  const queryClient = useQueryClient();
  return useApiMutation(
    async () => unwrap(await api.POST('/api/quotes/{id}/send', { params: { path: { id } }, body: {} })),
    (quote) => {
      queryClient.setQueryData(quotesQueryKeys.detail(quote.id), quote);
      return [quotesQueryKeys.lists()];
    },
  );
}

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeysQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/api-keys')),
  });
}

/** Creates a key; the answer holds the key itself, which the API never shows again. */
export function useCreateApiKey() {
  return useApiMutation(
    async (body: Schemas['CreateApiKeyDto']) => unwrap(await api.POST('/api/api-keys', { body })),
    () => [apiKeysQueryKeys.all],
  );
}

export function useRevokeApiKey() {
  return useApiMutation(
    async (id: string) => unwrap(await api.DELETE('/api/api-keys/{id}', { params: { path: { id } } })),
    () => [apiKeysQueryKeys.all],
  );
}
