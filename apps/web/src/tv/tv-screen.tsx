import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useLeaderboard } from '../api/kpi-aggregation';
import { useLiveKpis } from '../api/live';
import { useBoard, useRepNames, useSprints, useTeam, useTeams } from '../api/sprint-planning';
import type { KpiMetric, Principal } from '../api/types';
import { ErrorNote } from '../components/ui';
import { isKpiMetric } from '../format/metrics';
import { daysGone } from '../format/pace';
import { currentPeriodKey } from '../format/periods';
import { currentSprint } from '../rep/use-my-sprint';
import { useFormat } from '../shell/format';

const ROTATION: KpiMetric[] = ['revenueWon', 'calls', 'meetingsHeld'];

function useClock(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** The room's screen: the team's leaderboard and sprint progress, large, kept live by /api/live. */
export function TvScreen({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const f = useFormat();
  const live = useLiveKpis();
  const [params] = useSearchParams();
  // A display token names its team; anyone else may pick one with ?team= (else the first team).
  const fixed = principal.teamId ?? params.get('team') ?? undefined;
  const teams = useTeams(!fixed);
  const teamId = fixed ?? teams.data?.[0]?.teamId;
  const team = useTeam(teamId);
  const nameOf = useRepNames(teamId);
  const sprints = useSprints(teamId);
  const sprint = currentSprint(sprints.data);
  const board = useBoard(sprint?.sprintId);
  const now = useClock(15_000);
  // The leaderboard metric rotates every 15 s so one screen shows volume and value.
  const metric = ROTATION[Math.floor(now / 15_000) % ROTATION.length] ?? 'revenueWon';
  const period = sprint?.status === 'active' ? 'sprint' : 'week';
  const key = period === 'sprint' ? sprint?.sprintId : currentPeriodKey('week', f.calendar);
  const leaderboard = useLeaderboard(teamId, period, key, metric, period === 'sprint' || f.ready);
  const b = board.data;
  const entries = leaderboard.data?.entries ?? [];
  const teamName = team.data?.name ?? teamId ?? '';
  return (
    <div className="tv">
      <header className="tv-head">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Pacer
        </div>
        <h1>{teamName}</h1>
        <div className={`live ${live}`} role="status" data-testid="live-state">
          <span className="dot" aria-hidden="true" />
          {t(`live.${live}`)}
        </div>
      </header>
      <main id="main" className="tv-main">
        <section className="tv-panel" aria-labelledby="tv-board">
          <h2 id="tv-board">
            {t('tv.leaderboard')} · {t(`metrics.${metric}`)}
          </h2>
          <ErrorNote error={leaderboard.error} />
          <ol className="tv-leaderboard" data-testid="tv-leaderboard">
            {entries.slice(0, 8).map((e) => (
              <li key={e.repId} className={`rank-${e.rank}`}>
                <span className="rank">{e.rank}</span>
                <span className="name">{e.name ?? nameOf(e.repId)}</span>
                <span className="value">{f.metric(metric, e.value)}</span>
              </li>
            ))}
          </ol>
        </section>
        <section className="tv-panel" aria-labelledby="tv-progress">
          <h2 id="tv-progress">{t('tv.teamProgress')}</h2>
          <ErrorNote error={board.error ?? sprints.error} />
          {b && (
            <>
              <p className="tv-sub">
                {b.goal} · {t('sprint.daysGone', { gone: daysGone(b.window, b.lengthDays), total: b.lengthDays })}
              </p>
              <ul className="tv-targets" data-testid="tv-targets">
                {Object.keys(b.team.targets)
                  .filter(isKpiMetric)
                  .map((m) => {
                    const ratio = b.team.progress[m] ?? 0;
                    return (
                      <li key={m}>
                        <div className="tv-target-head">
                          <span>{t(`metrics.${m}`)}</span>
                          <span className="tv-number" data-testid={`tv-actual-${m}`}>
                            {f.metric(m, b.team.actuals[m])} <span className="muted">/ {f.metric(m, b.team.targets[m])}</span>
                          </span>
                        </div>
                        <div className="tv-bar" role="progressbar" aria-label={t(`metrics.${m}`)} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(1, ratio) * 100)}>
                          <div style={{ width: `${Math.min(1, ratio) * 100}%` }} />
                        </div>
                      </li>
                    );
                  })}
              </ul>
            </>
          )}
          {!b && !board.isPending && <p className="tv-sub">{t('sprint.none')}</p>}
        </section>
      </main>
    </div>
  );
}
