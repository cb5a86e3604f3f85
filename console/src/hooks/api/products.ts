import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const productsQueryKeys = queryKeysFactory('products');

export function useProducts(query: { q?: string; cursor?: string; limit?: number }) {
  return useQuery({
    queryKey: productsQueryKeys.list(query),
    queryFn: async () => unwrap(await api.GET('/api/products', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useCreateProduct() {
  return useApiMutation(
    async (body: Schemas['CreateProductDto']) => unwrap(await api.POST('/api/products', { body })),
    () => [productsQueryKeys.all],
  );
}

export function useUpdateProduct(id: string) {
  return useApiMutation(
    async (body: Schemas['UpdateProductDto']) =>
      unwrap(await api.PATCH('/api/products/{id}', { params: { path: { id } }, body })),
    () => [productsQueryKeys.all],
  );
}

export function useAdjustStock(id: string) {
  return useApiMutation(
    async (body: Schemas['StockAdjustmentDto']) =>
      unwrap(await api.POST('/api/products/{id}/stock', { params: { path: { id } }, body })),
    () => [productsQueryKeys.all],
  );
}

/** One product with its stock per location, in the managers' order of preference (anyone may read it). */
export function useProduct(id: string) {
  return useQuery({
    queryKey: productsQueryKeys.detail(id),
    queryFn: async () => unwrap(await api.GET('/api/products/{id}', { params: { path: { id } } })),
  });
}
