import { useTranslation } from 'react-i18next';
import { useExceptions } from '../api/commission';
import { Card, Empty, ErrorNote, Loading } from '../components/ui';
import { useFormat } from '../shell/format';

/** Deal credits that earn nothing (wrong currency, duplicate deal, no plan) with the service's reason. */
export function ExceptionsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const exceptions = useExceptions();
  const items = exceptions.data?.items ?? [];
  return (
    <Card title={t('exceptions.title')} labelledBy="exceptions-title">
      {exceptions.isPending && <Loading />}
      <ErrorNote error={exceptions.error} />
      {!exceptions.isPending && items.length === 0 && <Empty>{t('exceptions.none')}</Empty>}
      {items.length > 0 && (
        <table className="table">
          <caption className="sr-only">{t('exceptions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('exceptions.when')}</th>
              <th scope="col">{t('statement.deal')}</th>
              <th scope="col">{t('manager.rep')}</th>
              <th scope="col">{t('exceptions.reason')}</th>
              <th scope="col" className="num">
                {t('statement.credit')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.activityId}>
                <td>{f.dateTime(x.occurredAt)}</td>
                <td>
                  <code>{x.dealId}</code>
                </td>
                <td>{x.repId ?? '—'}</td>
                <td>
                  <span className="badge warn">{t(`exceptionReason.${x.reason}`, { defaultValue: x.reason })}</span>
                  <div className="small muted">{x.detail}</div>
                </td>
                <td className="num">{f.money(x.credit, x.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
