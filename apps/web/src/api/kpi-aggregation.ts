import { useQuery } from '@tanstack/react-query';
import { serviceRequest } from './http';
import type { KpiMetric, KpiSnapshot, Leaderboard } from './types';

export const kpiKeys = {
  all: ['kpi-aggregation'] as const,
  kpis: (scope: string, scopeId: string, period: string, from?: string) => ['kpi-aggregation', 'kpis', scope, scopeId, period, from ?? ''] as const,
  leaderboard: (teamId: string | undefined, period: string, key: string, metric: string) =>
    ['kpi-aggregation', 'leaderboard', teamId ?? '', period, key, metric] as const,
};

/** KPI snapshots of one scope and period type from `from` on (the live stream keeps them current). */
export function useKpis(scope: 'rep' | 'team' | 'org', scopeId: string | undefined, period: string, from?: string) {
  return useQuery({
    queryKey: kpiKeys.kpis(scope, scopeId ?? '', period, from),
    queryFn: async () =>
      (await serviceRequest<{ items: KpiSnapshot[] }>('kpi-aggregation', '/v1/kpis', { query: { scope, scopeId, period, from } })).items,
    enabled: !!scopeId,
  });
}

export function useLeaderboard(teamId: string | undefined, period: string, key: string | undefined, metric: KpiMetric, enabled = true) {
  return useQuery({
    queryKey: kpiKeys.leaderboard(teamId, period, key ?? '', metric),
    queryFn: () => serviceRequest<Leaderboard>('kpi-aggregation', '/v1/leaderboard', { query: { teamId, period, key, metric } }),
    enabled: enabled && !!key,
  });
}
