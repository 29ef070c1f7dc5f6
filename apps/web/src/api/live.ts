import { useEffect, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { KpiSnapshot } from './types';

export type LiveState = 'connecting' | 'open' | 'closed';

/** A KPI change as `GET /api/live` sends it. */
export interface LiveKpi {
  key: string;
  snapshot: KpiSnapshot;
}

/**
 * Puts one snapshot into every cached KPI list it belongs to (same scope, id and period type),
 * replacing the period it restates or adding a new one; an older revision never wins. The boards and
 * leaderboards are computed by their services, so those are refetched rather than patched.
 */
export function applyLiveKpi(client: QueryClient, change: LiveKpi): void {
  const s = change.snapshot;
  client.setQueriesData<KpiSnapshot[]>({ queryKey: ['kpi-aggregation', 'kpis', s.scope, s.scopeId, s.period.type] }, (old) => {
    if (!old) return old;
    const i = old.findIndex((o) => o.period.key === s.period.key);
    if (i < 0) return [...old, s].sort((a, b) => a.period.start.localeCompare(b.period.start));
    if ((old[i]?.revision ?? -1) >= s.revision) return old;
    const next = old.slice();
    next[i] = s;
    return next;
  });
  client.setQueryData(['kpi-aggregation', 'snapshot', change.key], s);
}

/**
 * Subscribes to the BFF's KPI stream for as long as the component lives. Derived views (board,
 * leaderboard) are refetched at most once a second however many snapshots a burst brings, which
 * keeps a TV within the two seconds SPEC §8 asks for without flooding the services.
 */
export function useLiveKpis(enabled = true): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/live');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let trailing: ReturnType<typeof setTimeout> | undefined;
    const refetchDerived = () => {
      void client.invalidateQueries({ queryKey: ['kpi-aggregation', 'leaderboard'] });
      void client.invalidateQueries({ queryKey: ['sprint-planning', 'board'] });
      void client.invalidateQueries({ queryKey: ['commission', 'statement'] });
    };
    // Boards are read from sprint-planning, which consumes the same snapshots on its own schedule:
    // a refetch a second after a burst, and one more a few seconds after the last snapshot, so a
    // board that lagged the stream still lands on the new numbers.
    const refreshDerived = () => {
      if (trailing) clearTimeout(trailing);
      trailing = setTimeout(refetchDerived, 4000);
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        refetchDerived();
      }, 1000);
    };
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    source.addEventListener('kpi', (event) => {
      try {
        applyLiveKpi(client, JSON.parse((event as MessageEvent<string>).data) as LiveKpi);
        refreshDerived();
      } catch {
        // A malformed event is skipped; the next one or a refetch brings the numbers.
      }
    });
    return () => {
      if (timer) clearTimeout(timer);
      if (trailing) clearTimeout(trailing);
      source.close();
    };
  }, [client, enabled]);
  return state;
}
