import { useTranslation } from 'react-i18next';
import type { KpiMetric, SprintBoard } from '../api/types';
import { Chart, type ChartOption } from '../components/chart';
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
  const option: ChartOption = {
    color: ['#4338ca', '#d97706', '#94a3b8'],
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 56, right: 24, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: days.map((d) => f.day(d)) },
    yAxis: { type: 'value', axisLabel: money ? { formatter: (v: number) => f.moneyCompact(String(v)) } : {} },
    series: [
      { type: 'line', name: t('burnup.actual'), data: days.map((d) => actualByDay.get(d) ?? null), areaStyle: { opacity: 0.12 }, symbolSize: 6 },
      { type: 'line', name: t('burnup.committed'), data: days.map(() => (target === undefined ? null : metricForChart(target))), lineStyle: { type: 'dashed' }, symbol: 'none' },
      { type: 'line', name: t('burnup.ideal'), data: days.map((_, i) => (target === undefined ? null : idealAt(target, i + 1, board.lengthDays))), lineStyle: { type: 'dotted' }, symbol: 'none' },
    ],
  };
  return <Chart option={option} label={t('burnup.label', { metric: t(`metrics.${metric}`) })} testId="burnup" />;
}
