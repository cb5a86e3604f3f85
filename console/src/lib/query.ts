/** Query keys per resource (Medusa's factory), and one mutation helper that invalidates what it changed. */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

export function queryKeysFactory<R extends string>(resource: R) {
  return {
    all: [resource] as const,
    lists: () => [resource, 'list'] as const,
    list: (query: object) => [resource, 'list', query] as const,
    details: () => [resource, 'detail'] as const,
    detail: (id: string) => [resource, 'detail', id] as const,
  };
}

/**
 * A mutation that, once it succeeds, invalidates the keys it touched. The keys may depend on the
 * answer (e.g. the order's detail key).
 */
export function useApiMutation<Input, Output>(
  run: (input: Input) => Promise<Output>,
  invalidates: (output: Output, input: Input) => QueryKey[],
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (output, input) => {
      await Promise.all(
        invalidates(output, input).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      );
    },
  });
}
