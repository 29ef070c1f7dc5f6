import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDisputes, useResolveDispute, type Dispute } from '../api/governance';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, TableHead } from '../components/ui';
import { useRepNames } from '../governance/governance-ui';
import { useFormat } from '../shell/format';

function ResolveForm({ dispute }: { dispute: Dispute }) {
  const { t } = useTranslation();
  const resolve = useResolveDispute();
  const [resolution, setResolution] = useState('');
  const [amount, setAmount] = useState('');
  const id = `resolve-${dispute.disputeId}`;
  return (
    <form
      className="form inline"
      data-testid={id}
      onSubmit={(e) => {
        e.preventDefault();
        resolve.mutate({ disputeId: dispute.disputeId, resolution: resolution.trim(), ...(amount.trim() ? { amount: amount.trim() } : {}) });
      }}
    >
      <label className="field grow">
        <span>{t('governance.resolution')}</span>
        <input value={resolution} onChange={(e) => setResolution(e.target.value)} aria-invalid={invalid(resolve.error, 'resolution')} aria-describedby={`${id}-resolution-error`} />
        <FieldErrors error={resolve.error} path="resolution" id={`${id}-resolution-error`} />
      </label>
      <label className="field">
        <span>{t('governance.adjustmentOptional')}</span>
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={invalid(resolve.error, 'adjustment.amount')} aria-describedby={`${id}-amount-error`} />
        <FieldErrors error={resolve.error} path="adjustment.amount" id={`${id}-amount-error`} />
      </label>
      <button type="submit" className="btn primary" disabled={resolve.isPending || resolution.trim() === ''}>
        {t('governance.resolve')}
      </button>
      <FormProblem error={resolve.error} shownPaths={['resolution', 'adjustment.amount']} />
    </form>
  );
}

/** Disputes reps opened on statement lines; an admin resolves each once, with or without an adjustment. */
export function DisputesPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const disputes = useDisputes(status);
  const name = useRepNames();
  const items = disputes.data ?? [];
  return (
    <Card
      title={t('governance.disputesTitle')}
      labelledBy="disputes-title"
      actions={
        <label className="field inline">
          <span>{t('governance.statusColumn')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'resolved')}>
            <option value="open">{t('governance.disputeStatus.open')}</option>
            <option value="resolved">{t('governance.disputeStatus.resolved')}</option>
          </select>
        </label>
      }
    >
      {disputes.isPending && <Loading />}
      <ErrorNote error={disputes.error} />
      {disputes.isSuccess && items.length === 0 && <Empty>{t('governance.noDisputes')}</Empty>}
      {items.length > 0 && (
        <table className="table" data-testid="disputes">
          <caption className="sr-only">{t('governance.disputesTitle')}</caption>
          <TableHead columns={[t('governance.openedAt'), t('manager.rep'), t('governance.period'), t('governance.line'), t('governance.comment'), status === 'open' ? t('governance.resolve') : t('governance.resolution')]} />
          <tbody>
            {items.map((d) => (
              <tr key={d.disputeId} data-testid={`dispute-${d.disputeId}`}>
                <td>{f.dateTime(d.openedAt)}</td>
                <td>{name(d.repId)}</td>
                <td>{f.periodKey(d.periodKey)}</td>
                <td>
                  <code>{d.lineId}</code>
                </td>
                <td>{d.comment}</td>
                <td>
                  {d.status === 'open' ? (
                    <ResolveForm dispute={d} />
                  ) : (
                    <>
                      <div>{d.resolution}</div>
                      {d.adjustment && (
                        <div className="small muted">
                          {t('governance.adjustedBy', { amount: f.money(d.adjustment.amount, d.adjustment.currency), period: f.periodKey(d.adjustment.periodKey) })}
                        </div>
                      )}
                      <div className="small muted">
                        {d.resolvedBy} · {f.dateTime(d.resolvedAt)}
                      </div>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
