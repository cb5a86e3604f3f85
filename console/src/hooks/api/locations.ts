import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/client';
import { queryKeysFactory } from '../../lib/query';

export const locationsQueryKeys = queryKeysFactory('locations');

/**
 * The stock locations, `MAIN` first. The API lists them to managers and admins only, so the caller says
 * whether to ask (others ship from `MAIN`).
 */
export function useLocations(enabled: boolean) {
  return useQuery({
    queryKey: locationsQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/locations')).items,
    enabled,
    staleTime: 60_000,
  });
}
