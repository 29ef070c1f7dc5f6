import { useQuery } from '@tanstack/react-query';
import { seg, serviceRequest } from './http';

export type ConsistencyPeriod = 'month' | 'quarter';

/** One ended period's attainment as kpi-aggregation states it (`GET /v1/reps/{repId}/consistency`). */
export interface AttainmentPeriod {
  key: string;
  start: string;
  end: string;
  quota: string;
  revenueWon: string;
  quotaAttainment: number;
  revision: number;
}

export interface RepConsistency {
  repId: string;
  name: string | null;
  period: ConsistencyPeriod;
  last: number;
  /** Oldest first; fewer than `last` when the rep has less history with a quota. */
  periods: AttainmentPeriod[];
  mean: number | null;
  standardDeviation: number | null;
  coefficientOfVariation: number | null;
}

export interface TeamConsistency {
  teamId: string;
  period: ConsistencyPeriod;
  last: number;
  members: RepConsistency[];
}

export const consistencyKeys = {
  rep: (repId: string, period: ConsistencyPeriod, last: number) => ['kpi-aggregation', 'consistency', 'rep', repId, period, last] as const,
  team: (teamId: string, period: ConsistencyPeriod, last: number) => ['kpi-aggregation', 'consistency', 'team', teamId, period, last] as const,
};

export function useRepConsistency(repId: string | undefined, period: ConsistencyPeriod, last: number) {
  return useQuery({
    queryKey: consistencyKeys.rep(repId ?? '', period, last),
    queryFn: () => serviceRequest<RepConsistency>('kpi-aggregation', `/v1/reps/${seg(repId ?? '')}/consistency`, { query: { period, last } }),
    enabled: !!repId,
  });
}

export function useTeamConsistency(teamId: string | undefined, period: ConsistencyPeriod, last: number) {
  return useQuery({
    queryKey: consistencyKeys.team(teamId ?? '', period, last),
    queryFn: () => serviceRequest<TeamConsistency>('kpi-aggregation', `/v1/teams/${seg(teamId ?? '')}/consistency`, { query: { period, last } }),
    enabled: !!teamId,
  });
}
