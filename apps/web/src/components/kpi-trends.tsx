import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKpis } from '../api/kpi-aggregation';
import type { KpiMetric, KpiSnapshot } from '../api/types';
import { metricForChart } from '../format/metrics';
import { recentPeriods } from '../format/periods';
import { useFormat } from '../shell/format';
import { Chart, CHART_COLORS, type ChartSpec } from './chart';
import { ErrorNote, Loading, Stat } from './ui';

const PERIODS = ['week', 'month', 'quarter'] as const;
type TrendPeriod = (typeof PERIODS)[number];
const TILES: KpiMetric[] = ['calls', 'connectRate', 'emails', 'meetingsHeld', 'pipelineCreated', 'revenueWon', 'winRate', 'quotaAttainment', 'revenuePerActivity'];

/** One scope's KPIs for the current week, month or quarter, and the trend over the last eight. */
export function KpiTrends({ scope, scopeId, title }: { scope: 'rep' | 'team'; scopeId: string; title: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [period, setPeriod] = useState<TrendPeriod>('week');
  const periods = useMemo(() => recentPeriods(period, 8, f.calendar), [period, f.calendar]);
  const kpis = useKpis(scope, scopeId, period, periods[0]?.start);
  const byKey = new Map<string, KpiSnapshot>((kpis.data ?? []).map((s) => [s.period.key, s]));
  const current = periods[periods.length - 1];
  const now = current ? byKey.get(current.key) : undefined;
  const valueOf = (p: { key: string }, m: KpiMetric) => metricForChart(byKey.get(p.key)?.metrics[m]) ?? 0;
  const spec: ChartSpec = {
    categories: periods.map((p) => f.periodKey(p.key)),
    categoryLabel: t(`periodType.${period}`),
    left: { label: t('kpi.activities'), tick: (v) => f.count(v), integer: true },
    right: { label: t('metrics.revenueWon'), tick: (v) => f.moneyCompact(String(v)), value: (v) => f.money(String(v)) },
    series: [
      ...(['calls', 'emails', 'meetingsHeld'] as const).map((m, i) => ({
        kind: 'bar' as const,
        label: t(`metrics.${m}`),
        color: CHART_COLORS[i],
        stack: true,
        values: periods.map((p) => valueOf(p, m)),
      })),
      { kind: 'line', label: t('metrics.revenueWon'), color: CHART_COLORS[3], axis: 'right', points: true, values: periods.map((p) => valueOf(p, 'revenueWon')) },
    ],
  };
  return (
    <section className="card" aria-labelledby={`kpi-${scope}`}>
      <header className="card-head">
        <h2 id={`kpi-${scope}`}>{title}</h2>
        <div className="segmented" role="group" aria-label={t('kpi.periodType')}>
          {PERIODS.map((p) => (
            <button key={p} type="button" aria-pressed={period === p} className={period === p ? 'on' : ''} onClick={() => setPeriod(p)}>
              {t(`periodType.${p}`)}
            </button>
          ))}
        </div>
      </header>
      {current && (
        <p className="muted small">
          {f.periodKey(current.key)} · {f.range(current.start, current.end)}
        </p>
      )}
      {kpis.isPending && <Loading />}
      <ErrorNote error={kpis.error} />
      <div className="stats" data-testid={`kpi-tiles-${scope}`}>
        {TILES.map((m) => (
          <Stat key={m} label={t(`metrics.${m}`)} value={f.metric(m, now?.metrics[m] ?? null)} testId={`kpi-${m}`} />
        ))}
      </div>
      <Chart spec={spec} label={t('kpi.trendLabel', { period: t(`periodType.${period}`) })} height={260} />
    </section>
  );
}
