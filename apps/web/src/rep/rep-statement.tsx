import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Decimal } from 'decimal.js';
import { useActivities } from '../api/activity-ingestion';
import { useEstimate, usePlan, useStatement, useStatements } from '../api/commission';
import type { Principal, Statement, StatementLine, Tier } from '../api/types';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, Stat } from '../components/ui';
import { useFormat } from '../shell/format';

/**
 * Attainment on a scale with the plan's tier bands: where the rep stands against each rate. The
 * positions are drawing only; attainment and tiers are the service's numbers.
 */
function TierScale({ attainment, tiers }: { attainment: string | null; tiers: Tier[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const top = Math.max(1.25 * Number(tiers[tiers.length - 1]?.from ?? 1), Number(attainment ?? 0) * 1.05, 1.2);
  const at = (v: string | number) => `${Math.min(100, (Number(v) / top) * 100)}%`;
  return (
    <div className="tier-scale" data-testid="tier-scale">
      <div className="tier-track" aria-hidden="true">
        {tiers.map((tier, i) => (
          <div
            key={tier.from}
            className={`tier-band band-${i % 4}`}
            style={{ left: at(tier.from), width: `calc(${at(tiers[i + 1]?.from ?? top)} - ${at(tier.from)})` }}
          />
        ))}
        {attainment !== null && <div className="tier-marker" style={{ left: at(attainment) }} />}
      </div>
      <ul className="tier-legend">
        {tiers.map((tier, i) => (
          <li key={tier.from}>
            <span className={`swatch band-${i % 4}`} aria-hidden="true" />
            {t('statement.band', { from: f.percent(tier.from), rate: f.percent(tier.rate) })}
          </li>
        ))}
      </ul>
      <p className="sr-only">{t('statement.attainmentIs', { value: f.percent(attainment) })}</p>
    </div>
  );
}

function LineSource({ line, repId, statement }: { line: StatementLine; repId: string; statement: Statement }) {
  const { t } = useTranslation();
  const f = useFormat();
  const deals = useActivities(repId, 'deal_won', !!line.dealId);
  const matching = (deals.data?.items ?? []).filter((r) => r.activity['dealId'] === line.dealId);
  return (
    <div className="line-source">
      {line.bands && line.bands.length > 0 && (
        <p>
          {t('statement.bandsUsed')}:{' '}
          {line.bands.map((b, i) => (
            <span key={i} className="chip">
              {b.credit ? f.money(b.credit, statement.currency) : ''} × {f.percent(b.rate)}
            </span>
          ))}
        </p>
      )}
      {line.reason && <p>{t('statement.reason')}: {line.reason}</p>}
      {line.note && <p>{line.note}</p>}
      {line.dealId && (
        <>
          <h4>{t('statement.sourceActivities')}</h4>
          {deals.isPending && <Loading />}
          <ul className="source-list">
            {matching.map((r) => (
              <li key={r.activity.activityId}>
                <code>{r.activity.activityId}</code> · {t(`activityKind.${r.activity.kind}`)} · {f.dateTime(r.activity.occurredAt)} ·{' '}
                {f.money(String(r.activity['amount'] ?? ''), String(r.activity['currency'] ?? statement.currency))}
                {r.voided && <span className="badge bad">{t('statement.voided')}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        {t('statement.sourceEvents')}: {line.sourceEventIds.map((id) => <code key={id}>{id} </code>)}
      </p>
    </div>
  );
}

function Lines({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  if (statement.lines.length === 0) return <Empty>{t('statement.noLines')}</Empty>;
  return (
    <table className="table" data-testid="statement-lines">
      <caption className="sr-only">{t('statement.lines')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('statement.kind')}</th>
          <th scope="col">{t('statement.deal')}</th>
          <th scope="col" className="num">
            {t('statement.credit')}
          </th>
          <th scope="col" className="num">
            {t('statement.amount')}
          </th>
          <th scope="col">
            <span className="sr-only">{t('statement.details')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {statement.lines.map((line, i) => {
          const key = `${line.lineId}-${i}`;
          const expanded = open === key;
          return (
            <Fragment key={key}>
              <tr>
                <td>{t(`lineKind.${line.kind}`, { defaultValue: line.kind })}</td>
                <td>{line.dealId ?? line.spiffId ?? '—'}</td>
                <td className="num">{line.credit ? f.money(line.credit, statement.currency) : '—'}</td>
                <td className={`num ${new Decimal(line.amount).isNegative() ? 'neg' : ''}`}>{f.money(line.amount, statement.currency)}</td>
                <td>
                  <button type="button" className="btn ghost small" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : key)}>
                    {expanded ? t('common.hide') : t('statement.open')}
                  </button>
                </td>
              </tr>
              {expanded && (
                <tr className="detail-row">
                  <td colSpan={5}>
                    <LineSource line={line} repId={statement.repId} statement={statement} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t('statement.total')}
          </th>
          <td className="num strong" data-testid="statement-total">
            {f.money(statement.total, statement.currency)}
          </td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function EstimateCard({ repId, currency }: { repId: string; currency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const estimate = useEstimate();
  const [amount, setAmount] = useState('10000.00');
  const e = estimate.data;
  return (
    <Card title={t('estimate.title')} labelledBy="estimate-title">
      <form
        className="form inline"
        onSubmit={(ev) => {
          ev.preventDefault();
          estimate.mutate({ repId, amount: amount.trim(), currency });
        }}
      >
        <label className="field">
          <span>{t('estimate.amount', { currency })}</span>
          <input
            inputMode="decimal"
            value={amount}
            onChange={(ev) => setAmount(ev.target.value)}
            aria-invalid={invalid(estimate.error, 'amount')}
            aria-describedby="estimate-amount-error"
          />
          <FieldErrors error={estimate.error} path="amount" id="estimate-amount-error" />
        </label>
        <button type="submit" className="btn primary" disabled={estimate.isPending}>
          {t('estimate.run')}
        </button>
      </form>
      <FormProblem error={estimate.error} shownPaths={['amount']} />
      {e && (
        <div className="stats" data-testid="estimate-result">
          <Stat label={t('estimate.commission')} value={f.money(e.commission, e.currency)} />
          <Stat label={t('estimate.total')} value={`${f.money(e.totalBefore, e.currency)} → ${f.money(e.totalAfter, e.currency)}`} />
          <Stat label={t('statement.attainment')} value={`${f.percent(e.attainmentBefore)} → ${f.percent(e.attainmentAfter)}`} />
          {e.exception && <p className="error-note">{e.exception.detail}</p>}
        </div>
      )}
    </Card>
  );
}

export function RepStatement({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const f = useFormat();
  const repId = principal.repId;
  const list = useStatements(repId);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const periods = [...(list.data ?? [])].sort((a, b) => b.period.start.localeCompare(a.period.start));
  const periodKey = chosen ?? periods[0]?.periodKey;
  const statement = useStatement(repId, periodKey);
  const s = statement.data;
  const plan = usePlan(s?.planId ?? undefined);
  if (!repId) return <Empty>{t('rep.noRep')}</Empty>;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('statement.title')}</h1>
        {periods.length > 0 && (
          <label className="field inline">
            <span>{t('statement.period')}</span>
            <select value={periodKey} onChange={(e) => setChosen(e.target.value)}>
              {periods.map((p) => (
                <option key={p.periodKey} value={p.periodKey}>
                  {f.periodKey(p.periodKey)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {(list.isPending || (statement.isPending && !!periodKey)) && <Loading />}
      <ErrorNote error={list.error ?? statement.error} />
      {!list.isPending && periods.length === 0 && <Empty>{t('statement.none')}</Empty>}
      {s && (
        <div className="grid two">
          <Card title={s.planName ?? s.planId ?? ''} labelledBy="statement-summary" className="span-2">
            <div className="stats">
              <Stat label={t('statement.quota')} value={f.money(s.quota, s.currency)} />
              <Stat label={t('statement.credited')} value={f.money(s.credited, s.currency)} />
              <Stat label={t('statement.attainment')} value={f.percent(s.attainment)} testId="statement-attainment" />
              <Stat label={t('statement.total')} value={f.money(s.total, s.currency)} />
            </div>
            {plan.data && <TierScale attainment={s.attainment} tiers={plan.data.tiers} />}
            {(s.notes ?? []).map((n) => (
              <p key={n} className="muted small">
                {n}
              </p>
            ))}
          </Card>
          <Card title={t('statement.lines')} labelledBy="statement-lines-title" className="span-2">
            <Lines statement={s} />
          </Card>
        </div>
      )}
      <EstimateCard repId={repId} currency={s?.currency ?? 'USD'} />
    </div>
  );
}
