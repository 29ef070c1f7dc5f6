import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { payoutCsvUrl, usePeriod, usePeriodCommand, useStatementHeads, type PeriodState, type UnapprovedStatement } from '../api/governance';
import { ProblemError } from '../api/http';
import { Card, Empty, ErrorNote, Loading, TableHead } from '../components/ui';
import { PeriodKeySelect, useLastEndedQuarter, useRepNames } from '../governance/governance-ui';
import { StatementRow } from '../manager/approvals';
import { useFormat } from '../shell/format';

type Command = 'close' | 'reopen' | 'payout';

/** The payout's refusal: the statements it names (up to 1,000) and how many there are. */
function Unapproved({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const name = useRepNames();
  if (!(error instanceof ProblemError) || error.type !== 'urn:pacer:problem:statements-unapproved') return <ErrorNote error={error} />;
  const named = Array.isArray(error.extensions['unapproved']) ? (error.extensions['unapproved'] as UnapprovedStatement[]) : [];
  const count = typeof error.extensions['unapprovedCount'] === 'number' ? error.extensions['unapprovedCount'] : named.length;
  return (
    <div className="error-note" role="alert" data-testid="payout-refused">
      <strong>{t('governance.payoutRefused', { count })}</strong>
      <ul>
        {named.map((u) => (
          <li key={u.repId}>
            {name(u.repId)} — {t(`governance.status.${u.status}`)} ({t('governance.versionN', { version: u.version })})
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Close or reopen a period, pay it out and download the payroll file. */
export function PeriodsPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const lastQuarter = useLastEndedQuarter();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const periodKey = chosen ?? lastQuarter;
  const heads = useStatementHeads(periodKey);
  const period = usePeriod(periodKey);
  const command = usePeriodCommand();
  const [confirming, setConfirming] = useState<Command | null>(null);
  const [outcome, setOutcome] = useState<(PeriodState & { payouts?: number }) | null>(null);
  const name = useRepNames();
  const items = heads.data ?? [];
  // The service's state, so a reload shows the truth (also for a period with no statements).
  const status = period.data?.status;
  const closed = status === 'closed' || status === 'paid';
  const paid = status === 'paid';
  const counts = period.data?.statements;
  const approved = counts ? counts.approved + counts.paid : 0;
  if (!periodKey) return <Loading />;

  const run = (c: Command) => {
    setConfirming(null);
    setOutcome(null);
    command.mutate({ periodKey, command: c }, { onSuccess: (state) => setOutcome(state) });
  };
  const pick = (key: string) => {
    setChosen(key);
    setConfirming(null);
    setOutcome(null);
    command.reset();
  };

  return (
    <div className="grid">
      <Card title={t('governance.periodsTitle')} labelledBy="periods-title" actions={<PeriodKeySelect value={periodKey} onChange={pick} />}>
        {period.isPending && <Loading />}
        <ErrorNote error={period.error} />
        {period.isSuccess && (
          <>
            <p data-testid="period-state">
              <span className={`badge ${closed ? 'closed' : 'active'}`}>{closed ? t('governance.closed') : t('governance.open')}</span>{' '}
              {paid && <span className="badge neutral">{t('governance.status.paid')}</span>}{' '}
              <span className="muted">{t('governance.approvedOf', { approved: f.count(approved), total: f.count(counts?.total ?? 0) })}</span>
            </p>
            <div className="row-actions">
              {!closed && (
                <button type="button" className="btn primary" onClick={() => setConfirming('close')} disabled={command.isPending}>
                  {t('governance.closePeriod')}
                </button>
              )}
              {closed && !paid && (
                <>
                  <button type="button" className="btn primary" onClick={() => setConfirming('payout')} disabled={command.isPending}>
                    {t('governance.payout')}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming('reopen')} disabled={command.isPending}>
                    {t('governance.reopenPeriod')}
                  </button>
                </>
              )}
              {paid && (
                <a className="btn" href={payoutCsvUrl(periodKey)} download={`payout-${periodKey}.csv`} data-testid="payout-csv">
                  {t('governance.downloadPayout')}
                </a>
              )}
            </div>
          </>
        )}
        {confirming && (
          <div className="confirm-box" role="group" aria-label={t(`governance.confirm.${confirming}Title`, { period: f.periodKey(periodKey) })}>
            <strong>{t(`governance.confirm.${confirming}Title`, { period: f.periodKey(periodKey) })}</strong>
            <span>{t(`governance.confirm.${confirming}Body`)}</span>
            <div className="row-actions">
              <button type="button" className={`btn ${confirming === 'reopen' ? 'danger' : 'primary'}`} onClick={() => run(confirming)}>
                {t(`governance.confirm.${confirming}Yes`)}
              </button>
              <button type="button" className="btn ghost" onClick={() => setConfirming(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
        {command.isError && <Unapproved error={command.error} />}
        {outcome && (
          <p className="success" role="status" data-testid="period-outcome">
            {outcome.paidAt
              ? t('governance.paidOut', { count: outcome.payouts ?? outcome.statements, at: f.dateTime(outcome.paidAt) })
              : outcome.closed
                ? t('governance.closedOutcome', { count: outcome.statements, at: f.dateTime(outcome.closedAt) })
                : t('governance.reopenedOutcome', { count: outcome.statements })}
          </p>
        )}
      </Card>
      <Card title={t('governance.statementsOf', { period: f.periodKey(periodKey) })} labelledBy="period-statements-title">
        {heads.isPending && <Loading />}
        <ErrorNote error={heads.error} />
        {heads.isSuccess && items.length === 0 && <Empty>{t('governance.noStatements')}</Empty>}
        {items.length > 0 && (
          <table className="table" data-testid="period-statements">
            <caption className="sr-only">{t('governance.statementsOf', { period: f.periodKey(periodKey) })}</caption>
            <TableHead
              columns={[t('manager.rep'), t('governance.statusColumn'), <span className="num">{t('governance.version')}</span>, <span className="num">{t('statement.total')}</span>, t('governance.approvedBy')]}
              actions
            />
            <tbody>
              {items.map((h) => (
                <StatementRow key={h.statementId} head={h} name={name(h.repId)} />
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
