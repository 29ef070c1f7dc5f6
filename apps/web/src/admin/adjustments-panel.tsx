import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePostAdjustment } from '../api/governance';
import { useTeams } from '../api/sprint-planning';
import { Card, FieldErrors, FormProblem, invalid, Loading } from '../components/ui';
import { PeriodKeySelect, useCurrentQuarter } from '../governance/governance-ui';
import { useFormat } from '../shell/format';

/** A manual adjustment of a rep's statement (booked in the rep's open period when the one named is closed). */
export function AdjustmentsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const teams = useTeams();
  const post = usePostAdjustment();
  const reps = [...new Map((teams.data ?? []).flatMap((team) => team.members.filter((m) => m.role !== 'MANAGER').map((m) => [m.repId, m.name] as const))).entries()].sort((a, b) =>
    a[1].localeCompare(b[1]),
  );
  const [repId, setRepId] = useState('');
  const [chosenPeriod, setChosenPeriod] = useState<string | undefined>(undefined);
  const currentQuarter = useCurrentQuarter();
  const periodKey = chosenPeriod ?? currentQuarter;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const r = post.data;
  if (!periodKey) return <Loading />;
  return (
    <Card title={t('governance.adjustmentsTitle')} labelledBy="adjustments-title">
      <p className="muted small">{t('governance.adjustmentsIntro')}</p>
      <form
        className="form narrow"
        data-testid="adjustment-form"
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate({ repId, periodKey, amount: amount.trim(), reason: reason.trim() });
        }}
      >
        <label className="field">
          <span>{t('manager.rep')}</span>
          <select value={repId} onChange={(e) => setRepId(e.target.value)} aria-invalid={invalid(post.error, 'repId')} aria-describedby="adj-rep-error">
            <option value="">{t('governance.chooseRep')}</option>
            {reps.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
          <FieldErrors error={post.error} path="repId" id="adj-rep-error" />
        </label>
        <PeriodKeySelect value={periodKey} onChange={setChosenPeriod} />
        <FieldErrors error={post.error} path="periodKey" id="adj-period-error" />
        <label className="field">
          <span>{t('governance.amountSigned')}</span>
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={invalid(post.error, 'amount')} aria-describedby="adj-amount-error" />
          <FieldErrors error={post.error} path="amount" id="adj-amount-error" />
        </label>
        <label className="field">
          <span>{t('governance.reason')}</span>
          <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={invalid(post.error, 'reason')} aria-describedby="adj-reason-error" />
          <FieldErrors error={post.error} path="reason" id="adj-reason-error" />
        </label>
        <FormProblem error={post.error} shownPaths={['repId', 'periodKey', 'amount', 'reason']} />
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={post.isPending || !repId}>
            {t('governance.postAdjustment')}
          </button>
        </div>
      </form>
      {r && (
        <p className="success" role="status" data-testid="adjustment-posted">
          {r.periodKey === r.requestedPeriodKey
            ? t('governance.adjustmentPosted', { amount: f.money(r.amount, r.currency), period: f.periodKey(r.periodKey) })
            : t('governance.adjustmentBookedLater', { amount: f.money(r.amount, r.currency), period: f.periodKey(r.periodKey), closed: f.periodKey(r.requestedPeriodKey) })}
        </p>
      )}
    </Card>
  );
}
