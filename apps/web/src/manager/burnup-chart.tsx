import { useTranslation } from 'react-i18next';
import type { KpiMetric, SprintBoard } from '../api/types';
import { Chart, type ChartSpec } from '../components/chart';
import { addDays } from '../format/dates';
import { metricForChart } from '../format/metrics';
import { idealAt } from '../format/pace';
import { useFormat } from '../shell/format';

/**
 * The team's burnup of one metric: the service's cumulative actuals per day, the committed target
 * (flat) and the ideal straight line to it. Every sprint day is on the axis, so a running sprint
 * shows how far the actuals still have to go.
 */
export function BurnupChart({ board, metric }: { board: SprintBoard; metric: KpiMetric }) {
  const { t } = useTranslation();
  const f = useFormat();
  const days = Array.from({ length: board.lengthDays }, (_, i) => addDays(board.startDate, i));
  const actualByDay = new Map(board.burnup.days.map((d) => [d.date, metricForChart(d.team[metric])]));
  const target = board.team.targets[metric];
  const money = metric === 'revenueWon' || metric === 'pipelineCreated';
  const ideal = (day: number) => (target === undefined ? null : idealAt(target, day, board.lengthDays));
  const axis = money ? { tick: (v: number) => f.moneyCompact(String(v)), value: (v: number) => f.money(String(v)) } : { tick: (v: number) => f.count(v), integer: true };
  const spec: ChartSpec = {
    categories: days.map((d) => f.day(d)),
    categoryLabel: t('periodType.day'),
    left: axis,
    series: [
      { kind: 'line', label: t('burnup.actual'), color: '#4338ca', area: true, points: true, values: days.map((d) => actualByDay.get(d) ?? null) },
      { kind: 'line', label: t('burnup.committed'), color: '#d97706', dash: [8, 5], values: days.map(() => (target === undefined ? null : metricForChart(target))) },
      { kind: 'line', label: t('burnup.ideal'), color: '#64748b', dash: [2, 4], values: days.map((_, i) => ideal(i + 1)) },
    ],
  };
  return <Chart spec={spec} label={t('burnup.label', { metric: t(`metrics.${metric}`) })} testId="burnup" />;
}
