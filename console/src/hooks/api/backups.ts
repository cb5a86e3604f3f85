import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const backupsQueryKeys = queryKeysFactory('backups');

export function useBackups() {
  return useQuery({
    queryKey: backupsQueryKeys.lists(),
    queryFn: async () => unwrap(await api.GET('/api/backups')),
  });
}

/** Writes an archive now; answers when it is written (it may take a while). */
export function useStartBackup() {
  return useApiMutation(
    async () => unwrap(await api.POST('/api/backups')),
    () => [backupsQueryKeys.all],
  );
}
