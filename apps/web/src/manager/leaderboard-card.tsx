import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLeaderboard } from '../api/kpi-aggregation';
import { useRepNames } from '../api/sprint-planning';
import type { KpiMetric } from '../api/types';
import { Card, Empty, ErrorNote, Loading, Progress } from '../components/ui';
import { currentPeriodKey } from '../format/periods';
import { useFormat } from '../shell/format';

const METRICS: KpiMetric[] = ['revenueWon', 'calls', 'meetingsHeld', 'dealsWon', 'pipelineCreated', 'quotaAttainment', 'connectRate'];
const PERIODS = ['sprint', 'week', 'month', 'quarter'] as const;

/** The team's leaderboard with the names the KPI service gives, for the sprint or a calendar period. */
export function LeaderboardCard({ teamId, sprintId }: { teamId: string; sprintId: string | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [metric, setMetric] = useState<KpiMetric>('revenueWon');
  const [chosen, setPeriod] = useState<(typeof PERIODS)[number] | undefined>(undefined);
  const period = chosen ?? (sprintId ? 'sprint' : 'week');
  const key = period === 'sprint' ? sprintId : currentPeriodKey(period, f.calendar);
  const board = useLeaderboard(teamId, period, key, metric, period === 'sprint' || f.ready);
  const nameOf = useRepNames(teamId);
  return (
    <Card
      title={t('leaderboard.title')}
      labelledBy="leaderboard-title"
      actions={
        <>
          <label className="field inline">
            <span className="sr-only">{t('leaderboard.period')}</span>
            <select value={period} onChange={(e) => setPeriod(e.target.value as (typeof PERIODS)[number])}>
              {PERIODS.filter((p) => p !== 'sprint' || sprintId).map((p) => (
                <option key={p} value={p}>
                  {t(`periodType.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span className="sr-only">{t('leaderboard.metric')}</span>
            <select value={metric} onChange={(e) => setMetric(e.target.value as KpiMetric)}>
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {t(`metrics.${m}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      }
    >
      {board.isPending && !!key && <Loading />}
      <ErrorNote error={board.error} />
      {board.data && board.data.entries.length === 0 && <Empty>{t('leaderboard.empty')}</Empty>}
      {board.data && board.data.entries.length > 0 && (
        <ol className="leaderboard" data-testid="leaderboard">
          {board.data.entries.map((e) => (
            <li key={e.repId} className={e.rank <= 3 ? `top top-${e.rank}` : ''}>
              <span className="rank">{e.rank}</span>
              <span className="name">{e.name ?? nameOf(e.repId)}</span>
              <span className="value">{f.metric(metric, e.value)}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

/**
 * Each rep's quota attainment this fiscal quarter, from the KPI service; how steady it is over ended
 * periods is the consistency card's (components/consistency.tsx).
 */
export function AttainmentCard({ teamId }: { teamId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const key = currentPeriodKey('quarter', f.calendar);
  const board = useLeaderboard(teamId, 'quarter', key, 'quotaAttainment', f.ready);
  const nameOf = useRepNames(teamId);
  return (
    <Card title={t('manager.attainment', { period: f.periodKey(key) })} labelledBy="attainment-title">
      {board.isPending && <Loading />}
      <ErrorNote error={board.error} />
      <ul className="attainment" data-testid="attainment">
        {(board.data?.entries ?? []).map((e) => (
          <li key={e.repId}>
            <span className="name">{e.name ?? nameOf(e.repId)}</span>
            <Progress ratio={typeof e.value === 'number' ? e.value : null} label={t('manager.attainmentOf', { rep: e.name ?? nameOf(e.repId) })} tone={typeof e.value === 'number' && e.value >= 1 ? 'ok' : undefined} />
            <span className="value">{f.percent(e.value)}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
