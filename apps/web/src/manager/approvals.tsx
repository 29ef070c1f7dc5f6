import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApproveStatement, useDeals, useDecideDeal, useStatementHeads, type PendingDeal, type StatementHead } from '../api/governance';
import { useTeams } from '../api/sprint-planning';
import type { Principal } from '../api/types';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, TableHead } from '../components/ui';
import { PeriodKeySelect, StatementStatusBadge, useLastEndedQuarter, useRepNames } from '../governance/governance-ui';
import { useFormat } from '../shell/format';

function DealRow({ deal, name }: { deal: PendingDeal; name: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const decide = useDecideDeal();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = `reject-${deal.dealId}`;
  return (
    <tr data-testid={`deal-${deal.dealId}`}>
      <td>
        <code>{deal.dealId}</code>
      </td>
      <td>{name}</td>
      <td className="num">{f.money(deal.amount, deal.currency)}</td>
      <td>{f.dateTime(deal.occurredAt)}</td>
      <td>{deal.recordedBy ?? '—'}</td>
      <td>
        {!rejecting ? (
          <div className="row-actions">
            <button type="button" className="btn primary small" disabled={decide.isPending} onClick={() => decide.mutate({ dealId: deal.dealId, decision: 'approve' })}>
              {t('governance.approve')}
            </button>
            <button type="button" className="btn ghost small" onClick={() => setRejecting(true)}>
              {t('governance.reject')}
            </button>
          </div>
        ) : (
          <form
            className="form inline"
            onSubmit={(e) => {
              e.preventDefault();
              decide.mutate({ dealId: deal.dealId, decision: 'reject', reason: reason.trim() });
            }}
          >
            <label className="field">
              <span>{t('governance.rejectReason')}</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={invalid(decide.error, 'reason')} aria-describedby={`${reasonId}-error`} />
              <FieldErrors error={decide.error} path="reason" id={`${reasonId}-error`} />
            </label>
            <button type="submit" className="btn danger small" disabled={decide.isPending || reason.trim() === ''}>
              {t('governance.confirmReject')}
            </button>
            <button type="button" className="btn ghost small" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </button>
          </form>
        )}
        <FormProblem error={decide.error} shownPaths={['reason']} />
      </td>
    </tr>
  );
}

function PendingDeals() {
  const { t } = useTranslation();
  const deals = useDeals('pending');
  const name = useRepNames();
  const items = deals.data ?? [];
  return (
    <Card title={t('governance.pendingDeals')} labelledBy="pending-deals-title">
      <p className="muted small">{t('governance.pendingDealsIntro')}</p>
      {deals.isPending && <Loading />}
      <ErrorNote error={deals.error} />
      {!deals.isPending && items.length === 0 && <Empty>{t('governance.noPendingDeals')}</Empty>}
      {items.length > 0 && (
        <table className="table" data-testid="pending-deals">
          <caption className="sr-only">{t('governance.pendingDeals')}</caption>
          <TableHead columns={[t('statement.deal'), t('manager.rep'), <span className="num">{t('statement.amount')}</span>, t('governance.wonAt'), t('governance.recordedBy')]} actions />
          <tbody>
            {items.map((d) => (
              <DealRow key={d.dealId} deal={d} name={name(d.repId)} />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function StatementRow({ head, name }: { head: StatementHead; name: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const approve = useApproveStatement();
  return (
    <tr data-testid={`statement-${head.repId}`}>
      <td>{name}</td>
      <td>
        <StatementStatusBadge status={head.status} />
        {head.closed && <span className="badge closed">{t('governance.closed')}</span>}
      </td>
      <td className="num">{head.version}</td>
      <td className="num" data-testid="statement-head-total">
        {f.money(head.total, head.currency)}
      </td>
      <td>{head.approvedBy ?? '—'}</td>
      <td>
        {head.status === 'draft' && (
          <button
            type="button"
            className="btn primary small"
            disabled={approve.isPending}
            aria-label={t('governance.approveStatementOf', { rep: name })}
            onClick={() => approve.mutate({ repId: head.repId, periodKey: head.periodKey, version: head.version })}
          >
            {t('governance.approve')}
          </button>
        )}
        <ErrorNote error={approve.error} />
      </td>
    </tr>
  );
}

/** A period's statements with their workflow state, approvable by the rep's manager or an admin. */
export function StatementApprovals({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const lastQuarter = useLastEndedQuarter();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const periodKey = chosen ?? lastQuarter;
  const isAdmin = principal.roles.includes('admin');
  const teams = useTeams();
  const [teamId, setTeamId] = useState<string>(isAdmin ? '' : (principal.teamId ?? ''));
  const heads = useStatementHeads(periodKey, teamId || undefined);
  const name = useRepNames();
  const items = heads.data ?? [];
  if (!periodKey) return <Loading />;
  return (
    <Card
      title={t('governance.statements')}
      labelledBy="statement-approvals-title"
      actions={
        <div className="form inline">
          <PeriodKeySelect value={periodKey} onChange={setChosen} />
          <label className="field inline">
            <span>{t('governance.team')}</span>
            <select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">{t('governance.allMyTeams')}</option>
              {(teams.data ?? []).map((team) => (
                <option key={team.teamId} value={team.teamId}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      }
    >
      {heads.isPending && <Loading />}
      <ErrorNote error={heads.error} />
      {heads.isSuccess && items.length === 0 && <Empty>{t('governance.noStatements')}</Empty>}
      {items.length > 0 && (
        <table className="table" data-testid="statement-approvals">
          <caption className="sr-only">{t('governance.statementsOf', { period: periodKey })}</caption>
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
  );
}

export function Approvals({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('governance.approvalsTitle')}</h1>
      </div>
      <PendingDeals />
      <StatementApprovals principal={principal} />
    </div>
  );
}
