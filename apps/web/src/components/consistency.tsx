import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRepConsistency, useTeamConsistency, type AttainmentPeriod, type ConsistencyPeriod, type RepConsistency } from '../api/consistency';
import { attainmentScale, byConsistency, steadiness, type ConsistencyOrder } from '../format/consistency';
import { useFormat } from '../shell/format';
import { Empty, ErrorNote, Loading, Stat } from './ui';

const PERIODS: ConsistencyPeriod[] = ['month', 'quarter'];
/** Six ended months or quarters: half a year of months is the span quotas are usually reviewed over. */
const LAST = 6;

function PeriodSwitch({ value, onChange }: { value: ConsistencyPeriod; onChange: (p: ConsistencyPeriod) => void }) {
  const { t } = useTranslation();
  return (
    <div className="segmented" role="group" aria-label={t('kpi.periodType')}>
      {PERIODS.map((p) => (
        <button key={p} type="button" aria-pressed={value === p} className={value === p ? 'on' : ''} onClick={() => onChange(p)}>
          {t(`periodType.${p}`)}
        </button>
      ))}
    </div>
  );
}

function SteadinessBadge({ row }: { row: RepConsistency }) {
  const { t } = useTranslation();
  const s = steadiness(row.coefficientOfVariation, row.periods.length);
  const tone = s === 'steady' ? 'ok' : s === 'swinging' ? 'bad' : s === 'variable' ? 'warn' : 'neutral';
  return (
    <span className={`badge ${tone}`} data-testid="steadiness">
      {t(`consistency.steadiness.${s}`)}
    </span>
  );
}

/**
 * Attainment per period as bars against a 100 % line. Each bar carries its number as text, so the
 * figure needs no separate table for screen readers (the list reads period and value).
 */
export function AttainmentBars({ periods, label, compact }: { periods: AttainmentPeriod[]; label: string; compact?: boolean }) {
  const f = useFormat();
  const top = attainmentScale(periods.map((p) => p.quotaAttainment));
  const target = `${(1 / top) * 100}%`;
  return (
    <ul className={`attainment-bars ${compact ? 'compact' : ''}`} aria-label={label}>
      {periods.map((p) => {
        const height = `${(Math.max(0, p.quotaAttainment) / top) * 100}%`;
        const tone = p.quotaAttainment >= 1 ? 'ok' : p.quotaAttainment < 0.7 ? 'bad' : '';
        return (
          <li key={p.key} title={`${f.periodKey(p.key)}: ${f.percent(p.quotaAttainment)}`}>
            <div className="bar-area">
              <div className="target-line" style={{ bottom: target }} aria-hidden="true" />
              <div className={`bar ${tone}`} style={{ height }} aria-hidden="true" />
            </div>
            {compact ? (
              <span className="sr-only">
                {f.periodKey(p.key)}: {f.percent(p.quotaAttainment)}
              </span>
            ) : (
              <>
                <span className="bar-value">{f.percent(p.quotaAttainment)}</span>
                <span className="bar-label">{f.periodKey(p.key)}</span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A rep's own consistency: the last ended periods with a quota, their mean, spread and CV. */
export function RepConsistencyCard({ repId }: { repId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [period, setPeriod] = useState<ConsistencyPeriod>('month');
  const q = useRepConsistency(repId, period, LAST);
  const c = q.data;
  return (
    <section className="card" aria-labelledby="my-consistency">
      <header className="card-head">
        <h2 id="my-consistency">{t('consistency.mine')}</h2>
        <PeriodSwitch value={period} onChange={setPeriod} />
      </header>
      <p className="muted small">{t('consistency.intro', { count: LAST, period: t(`consistency.periods.${period}`) })}</p>
      {q.isPending && <Loading />}
      <ErrorNote error={q.error} />
      {c && c.periods.length === 0 && <Empty>{t('consistency.none')}</Empty>}
      {c && c.periods.length > 0 && (
        <>
          <div className="stats" data-testid="my-consistency">
            <Stat label={t('consistency.mean')} value={f.percent(c.mean)} testId="consistency-mean" />
            <Stat label={t('consistency.sd')} value={f.percent(c.standardDeviation)} testId="consistency-sd" />
            <Stat label={t('consistency.cv')} value={f.percent(c.coefficientOfVariation)} hint={<SteadinessBadge row={c} />} testId="consistency-cv" />
          </div>
          <AttainmentBars periods={c.periods} label={t('consistency.barsLabel', { rep: c.name ?? c.repId })} />
        </>
      )}
    </section>
  );
}

/** Every selling member's consistency, ordered by coefficient of variation: who is steady, who swings. */
export function TeamConsistencyCard({ teamId }: { teamId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [period, setPeriod] = useState<ConsistencyPeriod>('month');
  const [order, setOrder] = useState<ConsistencyOrder>('swingingFirst');
  const q = useTeamConsistency(teamId, period, LAST);
  const rows = byConsistency(q.data?.members ?? [], order);
  const cvHeader = (
    <button
      type="button"
      className="link"
      onClick={() => setOrder(order === 'steadyFirst' ? 'swingingFirst' : 'steadyFirst')}
      title={t('consistency.sortBy', { order: t(`consistency.order.${order === 'steadyFirst' ? 'swingingFirst' : 'steadyFirst'}`) })}
    >
      {t('consistency.cv')} <span aria-hidden="true">{order === 'steadyFirst' ? '↑' : '↓'}</span>
    </button>
  );
  return (
    <section className="card" aria-labelledby="team-consistency">
      <header className="card-head">
        <h2 id="team-consistency">{t('consistency.team')}</h2>
        <PeriodSwitch value={period} onChange={setPeriod} />
      </header>
      <p className="muted small">{t('consistency.intro', { count: LAST, period: t(`consistency.periods.${period}`) })}</p>
      {q.isPending && <Loading />}
      <ErrorNote error={q.error} />
      {q.data && rows.length === 0 && <Empty>{t('consistency.noMembers')}</Empty>}
      {rows.length > 0 && (
        <table className="table" data-testid="team-consistency">
          <caption className="sr-only">{t('consistency.team')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('manager.rep')}</th>
              <th scope="col">{t('consistency.history')}</th>
              <th scope="col" className="num">
                {t('consistency.mean')}
              </th>
              <th scope="col" className="num">
                {t('consistency.sd')}
              </th>
              <th scope="col" className="num" aria-sort={order === 'steadyFirst' ? 'ascending' : 'descending'}>
                {cvHeader}
              </th>
              <th scope="col">{t('consistency.reading')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.repId} data-testid={`consistency-${r.repId}`}>
                <th scope="row">{r.name ?? r.repId}</th>
                <td>
                  {r.periods.length > 0 ? (
                    <AttainmentBars periods={r.periods} label={t('consistency.barsLabel', { rep: r.name ?? r.repId })} compact />
                  ) : (
                    <span className="muted small">{t('consistency.none')}</span>
                  )}
                </td>
                <td className="num" data-testid="mean">
                  {f.percent(r.mean)}
                </td>
                <td className="num" data-testid="sd">
                  {f.percent(r.standardDeviation)}
                </td>
                <td className="num" data-testid="cv">
                  {f.percent(r.coefficientOfVariation)}
                </td>
                <td>
                  <SteadinessBadge row={r} />
                  <div className="muted small">{t('consistency.periodsCount', { count: r.periods.length })}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
