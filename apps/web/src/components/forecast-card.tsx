import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from 'luxon';
import { useKpis } from '../api/kpi-aggregation';
import type { KpiMetric, KpiSnapshot } from '../api/types';
import { recentPeriods } from '../format/periods';
import { useFormat } from '../shell/format';
import { ErrorNote, Loading } from './ui';

const PERIODS = ['month', 'quarter'] as const;
type ForecastPeriod = (typeof PERIODS)[number];
const COLUMNS: KpiMetric[] = ['revenueWon', 'forecastPipeline', 'forecastWeighted', 'quota', 'forecastCoverage'];
/** The current period and the two after it: a forecast is about deals expected to close ahead. */
const AHEAD = 3;

/**
 * The forecast of a rep or team (SPEC §5): open pipeline and its probability-weighted value by expected
 * close, and coverage = (won + weighted) / quota, for the current and coming months or quarters.
 */
export function ForecastCard({ scope, scopeId, title }: { scope: 'rep' | 'team'; scopeId: string; title: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [period, setPeriod] = useState<ForecastPeriod>('month');
  const periods = useMemo(() => {
    // The last of `AHEAD` periods containing a moment that far ahead, walked back to the current one.
    const ahead = DateTime.now().plus(period === 'month' ? { months: AHEAD - 1 } : { quarters: AHEAD - 1 });
    return recentPeriods(period, AHEAD, f.calendar, ahead);
  }, [period, f.calendar]);
  const kpis = useKpis(scope, scopeId, period, periods[0]?.start);
  const byKey = new Map<string, KpiSnapshot>((kpis.data ?? []).map((s) => [s.period.key, s]));
  const id = `forecast-${scope}`;
  return (
    <section className="card" aria-labelledby={id}>
      <header className="card-head">
        <h2 id={id}>{title}</h2>
        <div className="segmented" role="group" aria-label={t('kpi.periodType')}>
          {PERIODS.map((p) => (
            <button key={p} type="button" aria-pressed={period === p} className={period === p ? 'on' : ''} onClick={() => setPeriod(p)}>
              {t(`periodType.${p}`)}
            </button>
          ))}
        </div>
      </header>
      <p className="muted small">{t('forecast.intro')}</p>
      {kpis.isPending && <Loading />}
      <ErrorNote error={kpis.error} />
      <table className="table" data-testid={`forecast-${scope}`}>
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`periodType.${period}`)}</th>
            {COLUMNS.map((m) => (
              <th scope="col" className="num" key={m}>
                {t(`metrics.${m}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => {
            const metrics = byKey.get(p.key)?.metrics;
            return (
              <tr key={p.key} data-testid={`forecast-${p.key}`}>
                <th scope="row">{f.periodKey(p.key)}</th>
                {COLUMNS.map((m) => (
                  <td className="num" key={m} data-testid={m}>
                    {f.metric(m, metrics?.[m] ?? null)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
