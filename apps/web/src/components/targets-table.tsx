import { useTranslation } from 'react-i18next';
import type { KpiMetric, Metrics, Targets } from '../api/types';
import { isKpiMetric } from '../format/metrics';
import { paceOf } from '../format/pace';
import { useFormat } from '../shell/format';
import { Progress } from './ui';

const TONE = { ahead: 'ok', onPace: 'ok', behind: 'bad', none: undefined } as const;

/** Targets against the KPI service's actuals, with its progress ratios and the pace they imply now. */
export function TargetsTable({
  targets,
  actuals,
  progress,
  share,
  caption,
  testId,
}: {
  targets: Targets;
  actuals: Metrics;
  progress: Partial<Record<KpiMetric, number | null>>;
  share: number | null;
  caption: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const metrics = Object.keys(targets).filter(isKpiMetric);
  if (metrics.length === 0) return <p className="empty">{t('sprint.noTargets')}</p>;
  return (
    <table className="table targets" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sprint.metric')}</th>
          <th scope="col" className="num">
            {t('sprint.actual')}
          </th>
          <th scope="col" className="num">
            {t('sprint.target')}
          </th>
          <th scope="col">{t('sprint.progress')}</th>
          {share !== null && <th scope="col">{t('sprint.pace')}</th>}
        </tr>
      </thead>
      <tbody>
        {metrics.map((m) => {
          const pace = share === null ? null : paceOf(progress[m], share);
          return (
            <tr key={m} data-metric={m}>
              <th scope="row">{t(`metrics.${m}`)}</th>
              <td className="num" data-testid={`actual-${m}`}>
                {f.metric(m, actuals[m])}
              </td>
              <td className="num" data-testid={`target-${m}`}>
                {f.metric(m, targets[m])}
              </td>
              <td className="progress-cell">
                <Progress ratio={progress[m]} label={t('sprint.progressOf', { metric: t(`metrics.${m}`) })} tone={pace ? TONE[pace.status] : undefined} />
                <span className="progress-text">{f.percent(progress[m])}</span>
              </td>
              {pace && (
                <td>
                  <span className={`badge ${pace.status}`}>{t(`pace.${pace.status}`)}</span>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
