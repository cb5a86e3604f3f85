import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const customersQueryKeys = queryKeysFactory('customers');

export function useCustomers(query: { q?: string; cursor?: string; limit?: number }) {
  return useQuery({
    queryKey: customersQueryKeys.list(query),
    queryFn: async () => unwrap(await api.GET('/api/customers', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: customersQueryKeys.detail(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/customers/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useCreateCustomer() {
  return useApiMutation(
    async (body: Schemas['CreateCustomerDto']) => unwrap(await api.POST('/api/customers', { body })),
    () => [customersQueryKeys.all],
  );
}

export function useUpdateCustomer(id: string) {
  return useApiMutation(
    async (body: Schemas['UpdateCustomerDto']) =>
      unwrap(await api.PATCH('/api/customers/{id}', { params: { path: { id } }, body })),
    () => [customersQueryKeys.all],
  );
}
