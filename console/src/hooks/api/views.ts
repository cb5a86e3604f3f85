import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const viewsQueryKeys = queryKeysFactory('views');

export type SavedView = Schemas['ViewDto'];

/** The signed-in person's saved board filters, by name (the API shows nobody else's). */
export function useViews(enabled = true) {
  return useQuery({
    queryKey: viewsQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/views')),
    enabled,
    staleTime: 60_000,
  });
}

export function useCreateView() {
  return useApiMutation(
    async (body: Schemas['CreateViewDto']) => unwrap(await api.POST('/api/views', { body })),
    () => [viewsQueryKeys.lists()],
  );
}

export function useDeleteView() {
  return useApiMutation(
    async (id: string) => unwrap(await api.DELETE('/api/views/{id}', { params: { path: { id } } })),
    () => [viewsQueryKeys.lists()],
  );
}
