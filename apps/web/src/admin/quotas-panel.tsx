import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueries } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { usePutQuota } from '../api/commission';
import { seg, serviceRequest } from '../api/http';
import { useTeams } from '../api/sprint-planning';
import { Card, ErrorNote, FieldErrors, Loading } from '../components/ui';
import { recentPeriods } from '../format/periods';
import { useFormat } from '../shell/format';

function QuotaCell({ repId, periodKey, amount }: { repId: string; periodKey: string; amount: string | undefined }) {
  const { t } = useTranslation();
  const put = usePutQuota();
  const [value, setValue] = useState(amount ?? '');
  const dirty = value !== (amount ?? '');
  const id = `q-${repId}-${periodKey}`;
  return (
    <td>
      <form
        className="quota-cell"
        onSubmit={(e) => {
          e.preventDefault();
          put.mutate({ repId, periodKey, amount: value.trim() });
        }}
      >
        <input aria-label={t('quotas.cell', { rep: repId, period: periodKey })} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={!!put.error} aria-describedby={`${id}-error`} />
        {dirty && (
          <button type="submit" className="btn small primary" disabled={put.isPending}>
            {t('common.save')}
          </button>
        )}
        <FieldErrors error={put.error} path="amount" id={`${id}-error`} />
        {put.error && !(put.error as { errors?: unknown[] }).errors?.length ? <ErrorNote error={put.error} /> : null}
      </form>
    </td>
  );
}

/** Quotas of every rep for the previous, current and next fiscal quarters; a cell saves on Enter or its button. */
export function QuotasPanel() {
  const { t } = useTranslation();
  const f = useFormat();
  const teams = useTeams();
  const reps = useMemo(
    () => [...new Map((teams.data ?? []).flatMap((team) => team.members.filter((m) => m.role !== 'MANAGER').map((m) => [m.repId, m] as const))).values()],
    [teams.data],
  );
  const quarters = useMemo(() => {
    // The previous, current and next fiscal quarter: quotas are set ahead and corrected behind.
    return recentPeriods('quarter', 3, f.calendar, DateTime.now().plus({ months: 3 })).map((p) => p.key);
  }, [f.calendar]);
  const quotas = useQueries({
    queries: reps.map((r) => ({
      queryKey: ['commission', 'quotas', r.repId],
      queryFn: () => serviceRequest<{ repId: string; quotas: { periodKey: string; amount: string }[] }>('commission', `/v1/reps/${seg(r.repId)}/quotas`),
    })),
  });
  if (teams.isPending) return <Loading />;
  return (
    <Card title={t('quotas.title')} labelledBy="quotas-title">
      <table className="table grid-table" data-testid="quotas">
        <caption className="sr-only">{t('quotas.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manager.rep')}</th>
            {quarters.map((q) => (
              <th key={q} scope="col">
                {f.periodKey(q)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {reps.map((r, i) => {
            const data = quotas[i]?.data;
            return (
              <tr key={r.repId}>
                <th scope="row">{r.name}</th>
                {quarters.map((q) =>
                  data ? (
                    <QuotaCell key={q} repId={r.repId} periodKey={q} amount={data.quotas.find((x) => x.periodKey === q)?.amount} />
                  ) : (
                    <td key={q}>…</td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
