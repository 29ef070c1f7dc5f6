import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEstimatePreview, usePlan, usePlans, usePutPlan } from '../api/commission';
import { useTeams } from '../api/sprint-planning';
import type { PlanBody, PlanVersion } from '../api/types';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, Stat, TableHead } from '../components/ui';
import { useFormat } from '../shell/format';

function bodyOf(plan: PlanVersion): PlanBody {
  return {
    name: plan.name,
    currency: plan.currency,
    period: plan.period,
    tiers: plan.tiers.map((t) => ({ ...t })),
    tierMode: plan.tierMode,
    cap: plan.cap,
    spiffs: plan.spiffs.map((s) => ({ ...s })),
    clawbackDays: plan.clawbackDays,
    effectiveFrom: plan.effectiveFrom,
  };
}

/** The estimate of a deal for a rep on the saved plan: the service's numbers, re-asked on every change. */
function Preview({ plan }: { plan: PlanVersion }) {
  const { t } = useTranslation();
  const f = useFormat();
  const teams = useTeams();
  const reps = (teams.data ?? []).flatMap((team) => team.members.filter((m) => m.role !== 'MANAGER').map((m) => ({ ...m, team: team.name })));
  const [repId, setRepId] = useState<string | undefined>(undefined);
  const [amount, setAmount] = useState('25000.00');
  const chosen = repId ?? reps.find((r) => r.role === 'AE')?.repId;
  const estimate = useEstimatePreview(chosen, amount.trim(), plan.currency, plan.version);
  const e = estimate.data;
  return (
    <div className="preview" data-testid="plan-preview">
      <div className="form inline">
        <label className="field">
          <span>{t('plans.previewRep')}</span>
          <select value={chosen} onChange={(ev) => setRepId(ev.target.value)}>
            {reps.map((r) => (
              <option key={`${r.team}-${r.repId}`} value={r.repId}>
                {r.name} ({r.team})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('estimate.amount', { currency: plan.currency })}</span>
          <input name="previewAmount" inputMode="decimal" value={amount} onChange={(ev) => setAmount(ev.target.value)} aria-invalid={invalid(estimate.error, 'amount')} aria-describedby="preview-amount-error" />
          <FieldErrors error={estimate.error} path="amount" id="preview-amount-error" />
        </label>
      </div>
      {estimate.isFetching && <span className="muted small">{t('common.loading')}</span>}
      <FormProblem error={estimate.error} shownPaths={['amount']} />
      {e && !estimate.error && (
        <>
          <p className="muted small">{t('plans.previewFor', { plan: e.planId, version: e.planVersion, period: f.periodKey(e.periodKey) })}</p>
          <div className="stats">
            <Stat label={t('estimate.commission')} value={f.money(e.commission, e.currency)} testId="preview-commission" />
            <Stat label={t('estimate.total')} value={`${f.money(e.totalBefore, e.currency)} → ${f.money(e.totalAfter, e.currency)}`} />
            <Stat label={t('statement.attainment')} value={`${f.percent(e.attainmentBefore)} → ${f.percent(e.attainmentAfter)}`} />
          </div>
          {e.changes.length > 0 && (
            <ul className="small">
              {e.changes.map((c) => (
                <li key={c.lineId}>
                  {t(`lineKind.${c.kind}`, { defaultValue: c.kind })} {c.lineId}: {f.money(c.before, e.currency)} → {f.money(c.after, e.currency)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function PlanEditor({ plan }: { plan: PlanVersion }) {
  const { t } = useTranslation();
  const f = useFormat();
  const put = usePutPlan(plan.planId);
  const [body, setBody] = useState<PlanBody>(() => bodyOf(plan));
  const [saved, setSaved] = useState<number | null>(null);
  useEffect(() => setBody(bodyOf(plan)), [plan]);
  const setTier = (i: number, key: 'from' | 'rate', value: string) => setBody({ ...body, tiers: body.tiers.map((tier, j) => (j === i ? { ...tier, [key]: value } : tier)) });
  const shown = ['name', 'currency', 'tiers', 'cap', 'clawbackDays', 'effectiveFrom'];
  return (
    <div className="grid two">
      <Card title={t('plans.edit', { plan: plan.planId, version: plan.version })} labelledBy="plan-edit">
        <form
          className="form"
          data-testid="plan-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(null);
            put.mutate(body, { onSuccess: (v) => setSaved(v.version) });
          }}
        >
          <div className="row">
            <label className="field grow">
              <span>{t('plans.name')}</span>
              <input value={body.name} onChange={(e) => setBody({ ...body, name: e.target.value })} aria-invalid={invalid(put.error, 'name')} aria-describedby="plan-name-error" />
              <FieldErrors error={put.error} path="name" id="plan-name-error" />
            </label>
            <label className="field">
              <span>{t('plans.tierMode')}</span>
              <select value={body.tierMode} onChange={(e) => setBody({ ...body, tierMode: e.target.value as PlanBody['tierMode'] })}>
                <option value="graduated">{t('plans.graduated')}</option>
                <option value="retroactive">{t('plans.retroactive')}</option>
              </select>
            </label>
            <label className="field">
              <span>{t('plans.effectiveFrom')}</span>
              <input type="date" value={body.effectiveFrom} onChange={(e) => setBody({ ...body, effectiveFrom: e.target.value })} aria-invalid={invalid(put.error, 'effectiveFrom')} aria-describedby="plan-from-error" />
              <FieldErrors error={put.error} path="effectiveFrom" id="plan-from-error" />
            </label>
          </div>
          <fieldset className="tiers">
            <legend>{t('plans.tiers')}</legend>
            <table className="table compact">
              <TableHead columns={[t('plans.from'), t('plans.rate'), t('plans.reads')]} actions />
              <tbody>
                {body.tiers.map((tier, i) => (
                  <tr key={i}>
                    <td>
                      <input aria-label={t('plans.fromOf', { n: i + 1 })} name={`tiers.${i}.from`} value={tier.from} onChange={(e) => setTier(i, 'from', e.target.value)} aria-invalid={invalid(put.error, `tiers.${i}.from`)} aria-describedby={`tier-${i}-from-error`} />
                      <FieldErrors error={put.error} path={`tiers.${i}.from`} id={`tier-${i}-from-error`} />
                    </td>
                    <td>
                      <input aria-label={t('plans.rateOf', { n: i + 1 })} name={`tiers.${i}.rate`} value={tier.rate} onChange={(e) => setTier(i, 'rate', e.target.value)} aria-invalid={invalid(put.error, `tiers.${i}.rate`)} aria-describedby={`tier-${i}-rate-error`} />
                      <FieldErrors error={put.error} path={`tiers.${i}.rate`} id={`tier-${i}-rate-error`} />
                    </td>
                    <td className="small muted">{t('statement.band', { from: f.percent(tier.from), rate: f.percent(tier.rate) })}</td>
                    <td>
                      <button type="button" className="btn ghost small" disabled={body.tiers.length < 2} onClick={() => setBody({ ...body, tiers: body.tiers.filter((_, j) => j !== i) })} aria-label={t('plans.removeTier', { n: i + 1 })}>
                        ×
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FieldErrors error={put.error} path="tiers" id="tiers-error" />
            <button type="button" className="btn small" onClick={() => setBody({ ...body, tiers: [...body.tiers, { from: '', rate: '' }] })}>
              {t('plans.addTier')}
            </button>
          </fieldset>
          <div className="row">
            <label className="field">
              <span>{t('plans.cap')}</span>
              <input value={body.cap ?? ''} placeholder={t('plans.noCap')} onChange={(e) => setBody({ ...body, cap: e.target.value.trim() === '' ? null : e.target.value })} aria-invalid={invalid(put.error, 'cap')} aria-describedby="plan-cap-error" />
              <FieldErrors error={put.error} path="cap" id="plan-cap-error" />
            </label>
            <label className="field">
              <span>{t('plans.clawbackDays')}</span>
              <input type="number" min={0} value={body.clawbackDays} onChange={(e) => setBody({ ...body, clawbackDays: Number(e.target.value) })} aria-invalid={invalid(put.error, 'clawbackDays')} aria-describedby="plan-claw-error" />
              <FieldErrors error={put.error} path="clawbackDays" id="plan-claw-error" />
            </label>
          </div>
          <FormProblem error={put.error} shownPaths={shown} />
          <div className="form-actions">
            <button type="submit" className="btn primary" disabled={put.isPending}>
              {t('plans.saveVersion')}
            </button>
            {saved !== null && (
              <span className="success" role="status" data-testid="plan-saved">
                {t('plans.saved', { version: saved })}
              </span>
            )}
          </div>
        </form>
      </Card>
      <Card title={t('plans.preview')} labelledBy="plan-preview-title">
        <Preview plan={plan} />
      </Card>
    </div>
  );
}

export function PlansPanel() {
  const { t } = useTranslation();
  const plans = usePlans();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const planId = chosen ?? plans.data?.[0]?.planId;
  const plan = usePlan(planId);
  return (
    <div className="stack">
      <div className="form inline">
        <label className="field">
          <span>{t('plans.plan')}</span>
          <select value={planId} onChange={(e) => setChosen(e.target.value)}>
            {(plans.data ?? []).map((p) => (
              <option key={p.planId} value={p.planId}>
                {p.planId} (v{p.latestVersion})
              </option>
            ))}
          </select>
        </label>
      </div>
      {(plans.isPending || plan.isPending) && <Loading />}
      <ErrorNote error={plans.error ?? plan.error} />
      {plans.data && plans.data.length === 0 && <Empty>{t('plans.none')}</Empty>}
      {plan.data && <PlanEditor plan={plan.data} />}
    </div>
  );
}
