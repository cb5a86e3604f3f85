import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { operations } from '../../lib/api.gen';
import { api, unwrap, type Schemas } from '../../lib/client';
import { queryKeysFactory, useApiMutation } from '../../lib/query';

export const feedbackQueryKeys = queryKeysFactory('feedback');

export type FeedbackQuery = Omit<
  NonNullable<operations['listFeedback']['parameters']['query']>,
  'limit' | 'cursor'
>;

export function useFeedbackList(query: FeedbackQuery) {
  return useQuery({
    queryKey: feedbackQueryKeys.list(query),
    queryFn: async () =>
      unwrap(await api.GET('/api/feedback', { params: { query: { ...query, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useSubmitFeedback() {
  return useApiMutation(
    async (body: Schemas['CreateFeedbackDto']) => unwrap(await api.POST('/api/feedback', { body })),
    () => [feedbackQueryKeys.all],
  );
}

export function useMarkFeedbackHandled() {
  return useApiMutation(
    async (id: string) => unwrap(await api.POST('/api/feedback/{id}/handled', { params: { path: { id } } })),
    () => [feedbackQueryKeys.all],
  );
}
