import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBoard, useSprints, useTeams } from '../api/sprint-planning';
import type { KpiMetric, Principal } from '../api/types';
import { TeamConsistencyCard } from '../components/consistency';
import { ForecastCard } from '../components/forecast-card';
import { KpiTrends } from '../components/kpi-trends';
import { OpportunityFacts } from '../components/opportunity-facts';
import { TargetsTable } from '../components/targets-table';
import { Card, Empty, ErrorNote, Loading, Progress } from '../components/ui';
import { isKpiMetric } from '../format/metrics';
import { daysGone, elapsedShare } from '../format/pace';
import { currentSprint } from '../rep/use-my-sprint';
import { useFormat } from '../shell/format';
import { BurnupChart } from './burnup-chart';
import { AttainmentCard, LeaderboardCard } from './leaderboard-card';

/** The team a manager looks at: chosen, else their own, else the first. */
export function useTeamChoice(principal: Principal) {
  const teams = useTeams();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const teamId = chosen ?? principal.teamId ?? teams.data?.[0]?.teamId;
  return { teams, teamId, setTeamId: setChosen };
}

export function TeamPicker({ teams, teamId, onChange }: { teams: { teamId: string; name: string }[]; teamId: string | undefined; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  if (teams.length < 2) return null;
  return (
    <label className="field inline">
      <span>{t('team.team')}</span>
      <select value={teamId} onChange={(e) => onChange(e.target.value)}>
        {teams.map((team) => (
          <option key={team.teamId} value={team.teamId}>
            {team.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ManagerBoard({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { teams, teamId, setTeamId } = useTeamChoice(principal);
  const sprints = useSprints(teamId);
  const [sprintChoice, setSprintChoice] = useState<string | undefined>(undefined);
  const sprintId = sprintChoice ?? currentSprint(sprints.data)?.sprintId;
  const board = useBoard(sprintId);
  const b = board.data;
  const [metricChoice, setMetricChoice] = useState<KpiMetric | undefined>(undefined);
  const metric = metricChoice && b?.burnup.metrics.includes(metricChoice) ? metricChoice : b?.burnup.metrics[0];
  const share = b?.status === 'active' ? elapsedShare(b.window) : null;
  const team = teams.data?.find((x) => x.teamId === teamId);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('manager.title', { team: team?.name ?? teamId ?? '' })}</h1>
        <div className="head-controls">
          <TeamPicker teams={teams.data ?? []} teamId={teamId} onChange={(id) => { setTeamId(id); setSprintChoice(undefined); }} />
          {(sprints.data ?? []).length > 0 && (
            <label className="field inline">
              <span>{t('sprint.sprint')}</span>
              <select value={sprintId} onChange={(e) => setSprintChoice(e.target.value)}>
                {(sprints.data ?? []).map((s) => (
                  <option key={s.sprintId} value={s.sprintId}>
                    {f.date(s.startDate)} · {t(`sprintStatus.${s.status}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      </div>
      <ErrorNote error={teams.error ?? sprints.error ?? board.error} />
      {!sprints.isPending && !sprintId && <Empty>{t('sprint.none')}</Empty>}
      {sprintId && board.isPending && <Loading />}
      {b && (
        <>
          <div className="grid two">
            <Card title={t('manager.teamProgress')} labelledBy="team-progress">
              <p className="sprint-meta">
                <span className={`badge ${b.status}`}>{t(`sprintStatus.${b.status}`)}</span> {b.goal && <strong>{b.goal}</strong>}{' '}
                <span className="muted">{f.range(b.window.start, b.window.end)}</span>
              </p>
              {b.status === 'active' && <p className="muted small">{t('sprint.daysGone', { gone: daysGone(b.window, b.lengthDays), total: b.lengthDays })}</p>}
              <TargetsTable targets={b.team.targets} actuals={b.team.actuals} progress={b.team.progress} share={share} caption={t('manager.teamProgress')} testId="team-targets" />
              <p className="muted small">{t('sprint.itemsDone', { done: b.team.itemsDone, total: b.team.itemsTotal })}</p>
            </Card>
            <Card
              title={t('burnup.title')}
              labelledBy="burnup-title"
              actions={
                b.burnup.metrics.length > 1 && (
                  <label className="field inline">
                    <span className="sr-only">{t('sprint.metric')}</span>
                    <select value={metric} onChange={(e) => setMetricChoice(e.target.value as KpiMetric)}>
                      {b.burnup.metrics.map((m) => (
                        <option key={m} value={m}>
                          {t(`metrics.${m}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                )
              }
            >
              {metric ? <BurnupChart board={b} metric={metric} /> : <Empty>{t('burnup.none')}</Empty>}
            </Card>
          </div>
          <Card title={t('manager.reps')} labelledBy="reps-title">
            <table className="table" data-testid="rep-board">
              <caption className="sr-only">{t('manager.reps')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('manager.rep')}</th>
                  <th scope="col">{t('sprint.targets')}</th>
                  <th scope="col">{t('sprint.items')}</th>
                </tr>
              </thead>
              <tbody>
                {b.reps.map((r) => (
                  <tr key={r.repId}>
                    <th scope="row">
                      {r.name ?? r.repId}
                      <div className="muted small">{r.role ? t(`memberRole.${r.role}`, { defaultValue: r.role }) : ''}</div>
                    </th>
                    <td>
                      <div className="rep-targets">
                        {Object.keys(r.targets)
                          .filter(isKpiMetric)
                          .map((m) => (
                            <div key={m} className="rep-target">
                              <span className="small">
                                {t(`metrics.${m}`)}: {f.metric(m, r.actuals[m])} / {f.metric(m, r.targets[m])}
                              </span>
                              <Progress ratio={r.progress[m]} label={t('sprint.progressOfRep', { metric: t(`metrics.${m}`), rep: r.name ?? r.repId })} />
                            </div>
                          ))}
                        {Object.keys(r.targets).length === 0 && <span className="muted small">{t('sprint.noTargets')}</span>}
                      </div>
                    </td>
                    <td>
                      <div className="small muted">{t('sprint.itemsDone', { done: r.itemsDone, total: r.itemsTotal })}</div>
                      {r.items.length > 0 && (
                        <ul className="board-items">
                          {r.items.map((item) => (
                            <li key={item.itemId} data-testid={`board-item-${item.itemId}`}>
                              <span className={`badge ${item.status === 'done' ? 'ok' : 'neutral'}`}>{t(`itemStatus.${item.status}`)}</span> <span>{item.title}</span>
                              <OpportunityFacts item={item} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </>
      )}
      {teamId && (
        <div className="grid two">
          <LeaderboardCard teamId={teamId} sprintId={sprintId} />
          <AttainmentCard teamId={teamId} />
        </div>
      )}
      {teamId && <TeamConsistencyCard teamId={teamId} />}
      {teamId && <ForecastCard scope="team" scopeId={teamId} title={t('forecast.team')} />}
      {teamId && <KpiTrends scope="team" scopeId={teamId} title={t('manager.teamKpis')} />}
    </div>
  );
}
