import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory } from '../../lib/query';
import { ordersQueryKeys } from './orders';

export type OrderImport = Schemas['ImportDto'];

export const importsQueryKeys = queryKeysFactory('imports');

/** How often a running commit's progress is read again. */
const PROGRESS_POLL_MS = 1000;

/** One import: its preview and, while its commit runs, its progress (read again every second until done). */
export function useImport(id: string | undefined) {
  return useQuery({
    queryKey: importsQueryKeys.detail(id ?? ''),
    queryFn: async () => unwrap(await api.GET('/api/imports/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data?.status === 'committing' ? PROGRESS_POLL_MS : false),
  });
}

/** Uploads a CSV or XLSX file: answers its preview (nothing but the preview is written), kept as its detail. */
export function useUploadImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) =>
      unwrap(
        await api.POST('/api/imports/orders', {
          // The generated type says `string` for the binary part; the body goes as multipart form data.
          body: { file: '' },
          bodySerializer: () => {
            const form = new FormData();
            form.append('file', file, file.name);
            return form;
          },
        }),
      ),
    onSuccess: (preview) => queryClient.setQueryData(importsQueryKeys.detail(preview.id), preview),
  });
}

/** Starts creating the import's valid orders; its progress then shows through `useImport` (polled). */
export function useCommitImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/imports/{id}/commit', { params: { path: { id } }, body: {} })),
    onSuccess: async (started) => {
      queryClient.setQueryData(importsQueryKeys.detail(started.id), started);
      await queryClient.invalidateQueries({ queryKey: ordersQueryKeys.all });
    },
  });
}
