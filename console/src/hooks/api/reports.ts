import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { operations } from '../../lib/api.gen';
import { api, unwrap } from '../../lib/client';
import { queryKeysFactory } from '../../lib/query';

export const reportsQueryKeys = queryKeysFactory('reports');

type Query<K extends keyof operations> = Omit<NonNullable<operations[K]['parameters']['query']>, 'format'>;
export type SalesQuery = Query<'getSalesReport'>;
export type RankingQuery = Query<'getCustomerReport'>;
export type PipelineQuery = Query<'getPipelineReport'>;
export type RankingKind = 'customers' | 'products';

export function useSalesReport(query: SalesQuery) {
  return useQuery({
    queryKey: reportsQueryKeys.list({ report: 'sales', ...query }),
    queryFn: async () => unwrap(await api.GET('/api/reports/sales', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useRankingReport(kind: RankingKind, query: RankingQuery) {
  return useQuery({
    queryKey: reportsQueryKeys.list({ report: kind, ...query }),
    queryFn: async () =>
      unwrap(
        kind === 'customers'
          ? await api.GET('/api/reports/customers', { params: { query } })
          : await api.GET('/api/reports/products', { params: { query } }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function usePipelineReport(query: PipelineQuery) {
  return useQuery({
    queryKey: reportsQueryKeys.list({ report: 'pipeline', ...query }),
    queryFn: async () => unwrap(await api.GET('/api/reports/pipeline', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** The same report as a CSV file, for a download link (the session cookie signs the GET in). */
export function reportCsvUrl(report: 'sales' | RankingKind | 'pipeline', query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  params.set('format', 'csv');
  return `/api/reports/${report}?${params.toString()}`;
}
