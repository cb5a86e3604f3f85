import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';
import { productsQueryKeys } from './products';

export const locationsQueryKeys = queryKeysFactory('locations');

/**
 * The stock locations, in the managers' order of preference. The API lists them to managers and admins
 * only, so the caller says whether to ask (others ship from `MAIN`).
 */
export function useLocations(enabled: boolean) {
  return useQuery({
    queryKey: locationsQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/locations')).items,
    enabled,
    staleTime: 60_000,
  });
}

export function useCreateLocation() {
  return useApiMutation(
    async (body: Schemas['CreateLocationDto']) => unwrap(await api.POST('/api/locations', { body })),
    // A product's stock lists every location: the new one too, holding nothing.
    () => [locationsQueryKeys.all, productsQueryKeys.details()],
  );
}

/** Sets the order of preference (every location's code once, most preferred first). */
export function useSaveLocationPreference() {
  return useApiMutation(
    async (preference: string[]) =>
      unwrap(await api.PUT('/api/settings/locations', { body: { preference } })),
    // A product's stock is listed, and its reserved units counted, in this order.
    () => [locationsQueryKeys.all, productsQueryKeys.details()],
  );
}
