import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBoard, usePlanSprint, useReport, useSprints, useSprintTransition, useTeam, useVelocity } from '../api/sprint-planning';
import type { Principal, Sprint } from '../api/types';
import { Chart, type ChartSpec } from '../components/chart';
import { Card, Empty, ErrorNote, FieldErrors, FormProblem, invalid, Loading, TableHead } from '../components/ui';
import { addDays, todayIn } from '../format/dates';
import { useFormat } from '../shell/format';
import { CommitmentEditor } from './commitment-editor';
import { TeamPicker, useTeamChoice } from './manager-board';

function NewSprintForm({ teamId, sprints, onPlanned }: { teamId: string; sprints: Sprint[]; onPlanned: (sprintId: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const plan = usePlanSprint(teamId);
  const last = [...sprints].sort((a, b) => a.startDate.localeCompare(b.startDate)).pop();
  const [startDate, setStartDate] = useState(() => (last ? last.endDate : todayIn(f.calendar.timezone)));
  const [lengthDays, setLengthDays] = useState('7');
  const [goal, setGoal] = useState('');
  return (
    <form
      className="form"
      data-testid="new-sprint"
      onSubmit={(e) => {
        e.preventDefault();
        plan.mutate(
          { startDate, lengthDays: Number(lengthDays), goal },
          {
            onSuccess: (sprint) => {
              setGoal('');
              setStartDate(sprint.endDate);
              onPlanned(sprint.sprintId);
            },
          },
        );
      }}
    >
      <div className="row">
        <label className="field">
          <span>{t('planning.startDate')}</span>
          <input type="date" name="startDate" value={startDate} onChange={(e) => setStartDate(e.target.value)} aria-invalid={invalid(plan.error, 'startDate')} aria-describedby="sprint-start-error" />
          <FieldErrors error={plan.error} path="startDate" id="sprint-start-error" />
        </label>
        <label className="field">
          <span>{t('planning.lengthDays')}</span>
          <input type="number" name="lengthDays" min={1} value={lengthDays} onChange={(e) => setLengthDays(e.target.value)} aria-invalid={invalid(plan.error, 'lengthDays')} aria-describedby="sprint-length-error" />
          <FieldErrors error={plan.error} path="lengthDays" id="sprint-length-error" />
        </label>
        <label className="field grow">
          <span>{t('planning.goal')}</span>
          <input name="goal" value={goal} onChange={(e) => setGoal(e.target.value)} aria-invalid={invalid(plan.error, 'goal')} aria-describedby="sprint-goal-error" />
          <FieldErrors error={plan.error} path="goal" id="sprint-goal-error" />
        </label>
      </div>
      <p className="muted small">{t('planning.ends', { date: f.date(addDays(startDate || todayIn(f.calendar.timezone), Math.max(0, Number(lengthDays) - 1))) })}</p>
      <FormProblem error={plan.error} shownPaths={['startDate', 'lengthDays', 'goal']} />
      <button type="submit" className="btn primary" disabled={plan.isPending}>
        {t('planning.create')}
      </button>
    </form>
  );
}

function Commitments({ sprint, teamId }: { sprint: Sprint; teamId: string }) {
  const { t } = useTranslation();
  const board = useBoard(sprint.sprintId);
  const team = useTeam(teamId);
  if (board.isPending || team.isPending) return <Loading />;
  const onBoard = board.data?.reps ?? [];
  const others = (team.data?.members ?? [])
    .filter((m) => m.role !== 'MANAGER' && !onBoard.some((r) => r.repId === m.repId))
    .map((m) => ({ repId: m.repId, name: m.name, targets: {}, items: [] }));
  const reps = [...onBoard.filter((r) => r.role !== 'MANAGER' || Object.keys(r.targets).length > 0), ...others];
  return (
    <>
      <ErrorNote error={board.error ?? team.error} />
      {reps.length === 0 && <Empty>{t('planning.noReps')}</Empty>}
      <div className="commitments">
        {reps.map((r) => (
          <CommitmentEditor key={`${sprint.sprintId}-${r.repId}`} sprintId={sprint.sprintId} rep={r} />
        ))}
      </div>
    </>
  );
}

function Report({ sprintId }: { sprintId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const report = useReport(sprintId, true);
  if (report.isPending) return <Loading />;
  if (!report.data) return <ErrorNote error={report.error} />;
  const r = report.data;
  return (
    <div data-testid="sprint-report">
      <p>
        {t('report.teamCompletion')}: <strong data-testid="team-completion">{f.percent(r.team.completionRatio)}</strong> ·{' '}
        {t('report.items', { done: r.team.itemsDone, total: r.team.itemsTotal, carried: r.team.itemsCarriedOver })}
      </p>
      <table className="table">
        <caption className="sr-only">{t('report.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manager.rep')}</th>
            <th scope="col">{t('report.plannedVsActual')}</th>
            <th scope="col" className="num">
              {t('report.completion')}
            </th>
          </tr>
        </thead>
        <tbody>
          {r.reps.map((rep) => (
            <tr key={rep.repId}>
              <th scope="row">{rep.name ?? rep.repId}</th>
              <td>
                {rep.targets.length === 0 && <span className="muted small">{t('sprint.noTargets')}</span>}
                {rep.targets.map((tr) => (
                  <div key={tr.metric} className="small">
                    {t(`metrics.${tr.metric}`)}: {f.metric(tr.metric, tr.actual)} / {f.metric(tr.metric, tr.planned)}
                  </div>
                ))}
              </td>
              <td className="num">{f.percent(rep.completionRatio)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VelocityChart({ teamId }: { teamId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const velocity = useVelocity(teamId);
  const v = velocity.data;
  if (velocity.isPending) return <Loading />;
  if (!v || v.sprints.length === 0) return <Empty>{t('velocity.none')}</Empty>;
  const spec: ChartSpec = {
    categories: v.sprints.map((s) => f.date(s.startDate)),
    categoryLabel: t('periodType.sprint'),
    left: { label: t('report.completion'), tick: (x) => f.percent(x), atLeast: 1 },
    right: { label: t('velocity.itemsDone'), tick: (x) => f.count(x), integer: true },
    series: [
      { kind: 'bar', label: t('report.completion'), color: '#4338ca', values: v.sprints.map((s) => s.completionRatio) },
      { kind: 'line', label: t('velocity.itemsDone'), color: '#0d9488', axis: 'right', points: true, values: v.sprints.map((s) => s.itemsDone) },
    ],
  };
  return (
    <>
      <p className="muted small">{t('velocity.average', { ratio: f.percent(v.averageCompletionRatio), items: f.number(v.averageItemsDone) })}</p>
      <Chart spec={spec} label={t('velocity.title')} height={220} />
    </>
  );
}

export function SprintPlanning({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { teams, teamId, setTeamId } = useTeamChoice(principal);
  const sprints = useSprints(teamId);
  const transition = useSprintTransition();
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const list = sprints.data ?? [];
  const sprint = list.find((s) => s.sprintId === selected) ?? list.find((s) => s.status === 'planned') ?? list.find((s) => s.status === 'active');
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('planning.title')}</h1>
        <TeamPicker teams={teams.data ?? []} teamId={teamId} onChange={(id) => { setTeamId(id); setSelected(undefined); }} />
      </div>
      <ErrorNote error={teams.error ?? sprints.error} />
      {teamId && (
        <div className="grid two">
          <Card title={t('planning.sprints')} labelledBy="sprints-title">
            {sprints.isPending && <Loading />}
            <table className="table" data-testid="sprints">
              <caption className="sr-only">{t('planning.sprints')}</caption>
              <TableHead columns={[t('planning.dates'), t('planning.goal'), t('planning.status')]} actions />
              <tbody>
                {list.map((s) => (
                  <tr key={s.sprintId} className={sprint?.sprintId === s.sprintId ? 'selected' : ''} data-sprint={s.sprintId}>
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(s.sprintId)}>
                        {f.range(s.window.start, s.window.end)}
                      </button>
                    </td>
                    <td>{s.goal}</td>
                    <td>
                      <span className={`badge ${s.status}`}>{t(`sprintStatus.${s.status}`)}</span>
                    </td>
                    <td className="actions">
                      {s.status === 'planned' && (
                        <button type="button" className="btn small" disabled={transition.isPending} onClick={() => transition.mutate({ sprintId: s.sprintId, action: 'start' })}>
                          {t('planning.start')}
                        </button>
                      )}
                      {s.status === 'active' && (
                        <button type="button" className="btn small" disabled={transition.isPending} onClick={() => transition.mutate({ sprintId: s.sprintId, action: 'close' })}>
                          {t('planning.close')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FormProblem error={transition.error} shownPaths={[]} />
            <h3>{t('planning.new')}</h3>
            {/* Mounted once the team's sprints are known (its default start follows the last one) and
                never remounted after, so nothing typed is lost when the list refreshes. */}
            {sprints.isSuccess && <NewSprintForm key={teamId} teamId={teamId} sprints={list} onPlanned={setSelected} />}
          </Card>
          <Card title={t('velocity.title')} labelledBy="velocity-title">
            <VelocityChart teamId={teamId} />
          </Card>
        </div>
      )}
      {teamId && sprint && sprint.status !== 'closed' && (
        <Card title={t('planning.commitments', { dates: f.range(sprint.window.start, sprint.window.end) })} labelledBy="commitments-title">
          <Commitments sprint={sprint} teamId={teamId} />
        </Card>
      )}
      {sprint && sprint.status === 'closed' && (
        <Card title={t('report.title')} labelledBy="report-title">
          <Report sprintId={sprint.sprintId} />
        </Card>
      )}
    </div>
  );
}
