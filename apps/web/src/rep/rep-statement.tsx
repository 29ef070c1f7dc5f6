import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Decimal } from 'decimal.js';
import { useActivities } from '../api/activity-ingestion';
import { useEstimate, usePlan, useStatement, useStatements } from '../api/commission';
import { statementCsvUrl, useDisputes, useOpenDispute } from '../api/governance';
import type { Principal, Statement, StatementLine, Tier } from '../api/types';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, Stat, TableHead } from '../components/ui';
import { StatementStatusBadge } from '../governance/governance-ui';
import { useFormat } from '../shell/format';

const ADJUSTMENT_KINDS = new Set(['prior_period_adjustment', 'manual_adjustment']);

/** What an adjustment line corrects: the closed period it cites, or that it was posted by hand. */
function AdjustmentCite({ line }: { line: StatementLine }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!ADJUSTMENT_KINDS.has(line.kind)) return null;
  return (
    <div className="cites" data-testid="adjustment-cite">
      {line.closedPeriodKey
        ? t('governance.citesClosedPeriod', { period: f.periodKey(line.closedPeriodKey) })
        : t('governance.manualLine')}
      {line.reason && ` · ${line.kind === 'prior_period_adjustment' ? t(`governance.ppaReason.${line.reason}`, { defaultValue: line.reason }) : line.reason}`}
    </div>
  );
}

function DisputeForm({ line, statement, onDone }: { line: StatementLine; statement: Statement; onDone: () => void }) {
  const { t } = useTranslation();
  const open = useOpenDispute();
  const [comment, setComment] = useState('');
  const id = `dispute-${line.lineId.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <form
      className="form inline"
      data-testid="dispute-form"
      onSubmit={(e) => {
        e.preventDefault();
        open.mutate({ repId: statement.repId, periodKey: statement.periodKey, lineId: line.lineId, comment: comment.trim() }, { onSuccess: onDone });
      }}
    >
      <label className="field grow">
        <span>{t('governance.disputeComment')}</span>
        <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} aria-invalid={invalid(open.error, 'comment')} aria-describedby={`${id}-error`} />
        <FieldErrors error={open.error} path="comment" id={`${id}-error`} />
      </label>
      <button type="submit" className="btn primary" disabled={open.isPending || comment.trim() === ''}>
        {t('governance.sendDispute')}
      </button>
      <button type="button" className="btn ghost" onClick={onDone}>
        {t('common.cancel')}
      </button>
      <FormProblem error={open.error} shownPaths={['comment']} />
    </form>
  );
}

function OpenDisputes({ repId }: { repId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const disputes = useDisputes('open', repId);
  const items = disputes.data ?? [];
  return (
    <Card title={t('governance.myDisputes')} labelledBy="my-disputes-title" className="span-2">
      {disputes.isPending && <Loading />}
      <ErrorNote error={disputes.error} />
      {disputes.isSuccess && items.length === 0 && <Empty>{t('governance.noOpenDisputes')}</Empty>}
      {items.length > 0 && (
        <table className="table" data-testid="my-disputes">
          <caption className="sr-only">{t('governance.myDisputes')}</caption>
          <TableHead columns={[t('governance.openedAt'), t('governance.period'), t('governance.line'), t('governance.comment')]} />
          <tbody>
            {items.map((d) => (
              <tr key={d.disputeId}>
                <td>{f.dateTime(d.openedAt)}</td>
                <td>{f.periodKey(d.periodKey)}</td>
                <td>
                  <code>{d.lineId}</code>
                </td>
                <td>{d.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

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

function Lines({ statement, canDispute }: { statement: Statement; canDispute: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  const [disputing, setDisputing] = useState<string | null>(null);
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
              <tr className={ADJUSTMENT_KINDS.has(line.kind) ? 'adjustment-line' : undefined} data-testid={`line-${line.lineId}`}>
                <td>
                  {t(`lineKind.${line.kind}`, { defaultValue: line.kind })}
                  <AdjustmentCite line={line} />
                </td>
                <td>{line.dealId ?? line.spiffId ?? (line.kind === 'prior_period_adjustment' && line.appliesTo ? <code>{line.appliesTo}</code> : '—')}</td>
                <td className="num">{line.credit ? f.money(line.credit, statement.currency) : '—'}</td>
                <td className={`num ${new Decimal(line.amount).isNegative() ? 'neg' : ''}`}>{f.money(line.amount, statement.currency)}</td>
                <td>
                  <button type="button" className="btn ghost small" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : key)}>
                    {expanded ? t('common.hide') : t('statement.open')}
                  </button>
                  {canDispute && (
                    <button type="button" className="btn ghost small" aria-expanded={disputing === key} onClick={() => setDisputing(disputing === key ? null : key)}>
                      {t('governance.disputeLine')}
                    </button>
                  )}
                </td>
              </tr>
              {disputing === key && (
                <tr className="detail-row">
                  <td colSpan={5}>
                    <DisputeForm line={line} statement={statement} onDone={() => setDisputing(null)} />
                  </td>
                </tr>
              )}
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
                  {p.status ? `${f.periodKey(p.periodKey)} · ${t(`governance.status.${p.status}`)}` : f.periodKey(p.periodKey)}
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
          <Card
            title={s.planName ?? s.planId ?? ''}
            labelledBy="statement-summary"
            className="span-2"
            actions={
              <>
                <StatementStatusBadge status={s.status} testId="statement-status" />
                {s.closed && <span className="badge closed">{t('governance.closed')}</span>}
                <a className="btn small" href={statementCsvUrl(s.repId, s.periodKey)} download={`statement-${s.repId}-${s.periodKey}.csv`} data-testid="statement-csv">
                  {t('governance.downloadCsv')}
                </a>
              </>
            }
          >
            <div className="stats">
              <Stat label={t('statement.quota')} value={f.money(s.quota, s.currency)} />
              <Stat label={t('statement.credited')} value={f.money(s.credited, s.currency)} />
              <Stat label={t('statement.attainment')} value={f.percent(s.attainment)} testId="statement-attainment" />
              <Stat label={t('statement.total')} value={f.money(s.total, s.currency)} />
              {s.closed && s.bookedInLaterPeriods && s.bookedInLaterPeriods !== '0.00' && (
                <Stat label={t('governance.bookedLater')} value={f.money(s.bookedInLaterPeriods, s.currency)} hint={t('governance.bookedLaterHint')} />
              )}
            </div>
            {plan.data && <TierScale attainment={s.attainment} tiers={plan.data.tiers} />}
            {(s.notes ?? []).map((n) => (
              <p key={n} className="muted small">
                {n}
              </p>
            ))}
          </Card>
          <Card title={t('statement.lines')} labelledBy="statement-lines-title" className="span-2">
            <Lines statement={s} canDispute={!s.closed && s.status !== 'paid' && principal.roles.includes('rep') && principal.repId === s.repId} />
          </Card>
          {principal.roles.includes('rep') && <OpenDisputes repId={repId} />}
        </div>
      )}
      <EstimateCard repId={repId} currency={s?.currency ?? 'USD'} />
    </div>
  );
}
