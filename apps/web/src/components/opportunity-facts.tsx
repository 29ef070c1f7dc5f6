import { useTranslation } from 'react-i18next';
import type { BoardItem } from '../api/types';
import { useFormat } from '../shell/format';

/**
 * The deal behind a sprint item, as the board reports it now: stage, status, amount, expected close
 * and probability. Amounts are shown in the tenant's default currency, as the KPIs sum them.
 */
export function OpportunityFacts({ item }: { item: BoardItem }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (item.opportunityId === undefined) return null;
  const o = item.opportunity;
  if (!o) {
    return (
      <span className="muted small opportunity-facts" data-testid="opportunity">
        {t('opportunity.unknown', { id: item.opportunityId })}
      </span>
    );
  }
  return (
    <dl className="opportunity-facts small" data-testid="opportunity" aria-label={t('opportunity.label', { id: o.opportunityId })}>
      <div>
        <dt>{t('opportunity.stage')}</dt>
        <dd data-testid="opportunity-stage">
          {o.stage ?? '—'}
          {o.status !== 'open' && <span className={`badge ${o.status === 'won' ? 'ok' : 'bad'}`}>{t(`opportunity.status.${o.status}`)}</span>}
        </dd>
      </div>
      <div>
        <dt>{t('opportunity.amount')}</dt>
        <dd data-testid="opportunity-amount">{f.money(o.amount)}</dd>
      </div>
      <div>
        <dt>{t('opportunity.expectedClose')}</dt>
        <dd data-testid="opportunity-close">{o.expectedCloseDate ? f.date(o.expectedCloseDate) : '—'}</dd>
      </div>
      <div>
        <dt>{t('opportunity.probability')}</dt>
        <dd data-testid="opportunity-probability">{f.percent(o.probability)}</dd>
      </div>
    </dl>
  );
}
