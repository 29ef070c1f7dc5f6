import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatementStatus } from '../api/governance';
import { useTeams } from '../api/sprint-planning';
import { currentPeriodKey, recentPeriods } from '../format/periods';
import { useFormat } from '../shell/format';

const STATUS_TONE: Record<StatementStatus, string> = { draft: 'warn', approved: 'ok', paid: 'neutral' };

/** A statement's workflow state: draft → approved → paid. */
export function StatementStatusBadge({ status, testId }: { status: StatementStatus | undefined; testId?: string }) {
  const { t } = useTranslation();
  const s = status ?? 'draft';
  return (
    <span className={`badge ${STATUS_TONE[s]}`} data-testid={testId}>
      {t(`governance.status.${s}`)}
    </span>
  );
}

/**
 * The plan period keys people pick from (recent fiscal quarters, months and years in the tenant's
 * calendar, newest first); the commission API says which of them have statements.
 */
export function PeriodKeySelect({ value, onChange, label }: { value: string; onChange: (key: string) => void; label?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const id = useId();
  const groups = useMemo(
    () =>
      (['quarter', 'month', 'year'] as const).map((type) => ({
        type,
        keys: recentPeriods(type, type === 'year' ? 2 : 6, f.calendar).map((p) => p.key).reverse(),
      })),
    [f.calendar],
  );
  return (
    <span className="field inline">
      <label htmlFor={id}>{label ?? t('governance.period')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {groups.map((g) => (
          <optgroup key={g.type} label={t(`periodType.${g.type}`)}>
            {g.keys.map((k) => (
              <option key={k} value={k}>
                {f.periodKey(k)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </span>
  );
}

/**
 * The most recently ended fiscal quarter: the period a close, an approval round or a payout is usually
 * about. Empty until the tenant's calendar is read, so no screen asks for a default calendar's key.
 */
export function useLastEndedQuarter(): string {
  const f = useFormat();
  return useMemo(() => (f.ready ? (recentPeriods('quarter', 2, f.calendar)[0]?.key ?? '') : ''), [f.calendar, f.ready]);
}

/** The fiscal quarter running now, once the tenant's calendar is read (else empty). */
export function useCurrentQuarter(): string {
  const f = useFormat();
  return useMemo(() => (f.ready ? currentPeriodKey('quarter', f.calendar) : ''), [f.calendar, f.ready]);
}

/** Reps' names from the roster (a statement or deal names a repId). */
export function useRepNames(): (repId: string) => string {
  const teams = useTeams();
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const team of teams.data ?? []) for (const m of team.members) names.set(m.repId, m.name);
    return (repId: string) => names.get(repId) ?? repId;
  }, [teams.data]);
}
