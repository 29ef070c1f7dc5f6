import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKpis } from '../api/kpi-aggregation';
import type { KpiMetric, KpiSnapshot } from '../api/types';
import { metricForChart } from '../format/metrics';
import { recentPeriods } from '../format/periods';
import { useFormat } from '../shell/format';
import { Chart, CHART_COLORS, type ChartOption } from './chart';
import { ErrorNote, Loading, Stat } from './ui';

const PERIODS = ['week', 'month', 'quarter'] as const;
type TrendPeriod = (typeof PERIODS)[number];
const TILES: KpiMetric[] = ['calls', 'connectRate', 'emails', 'meetingsHeld', 'pipelineCreated', 'revenueWon', 'winRate', 'quotaAttainment'];

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
  const option: ChartOption = {
    color: CHART_COLORS,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 56, right: 72, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: periods.map((p) => f.periodKey(p.key)) },
    yAxis: [
      { type: 'value', name: t('kpi.activities'), minInterval: 1 },
      { type: 'value', name: t('metrics.revenueWon'), axisLabel: { formatter: (v: number) => f.moneyCompact(String(v)) } },
    ],
    series: [
      ...(['calls', 'emails', 'meetingsHeld'] as const).map((m) => ({
        type: 'bar' as const,
        name: t(`metrics.${m}`),
        stack: 'activity',
        data: periods.map((p) => metricForChart(byKey.get(p.key)?.metrics[m]) ?? 0),
      })),
      {
        type: 'line' as const,
        name: t('metrics.revenueWon'),
        yAxisIndex: 1,
        data: periods.map((p) => metricForChart(byKey.get(p.key)?.metrics.revenueWon) ?? 0),
      },
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
      <Chart option={option} label={t('kpi.trendLabel', { period: t(`periodType.${period}`) })} height={260} />
    </section>
  );
}
