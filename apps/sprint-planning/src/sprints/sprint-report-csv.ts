import { CsvColumn, csvNumber, csvText } from '@pacer/http';
import { RepReport, SprintOutcome, SprintReport, TargetResult } from '../domain/sprint/sprint-report';

/** One CSV row: one target of one rep (or of the team), with that scope's completion and items. */
export interface SprintReportCsvRow {
  sprintId: string;
  teamId: string;
  scope: 'rep' | 'team';
  rep?: RepReport;
  outcome: SprintOutcome;
  /** Absent for a scope that committed no target: it still gets its one row of items. */
  target?: TargetResult;
}

/**
 * `GET /v1/sprints/{id}/report.csv`: the report in long form, one row per (rep or team, metric), so
 * planned and actual stay numbers in one column each whatever the metric (money as decimal strings).
 * Completion and item counts repeat on every row of their scope.
 */
export const SPRINT_REPORT_CSV_COLUMNS: readonly CsvColumn<SprintReportCsvRow>[] = [
  csvText('sprintId', (r) => r.sprintId),
  csvText('teamId', (r) => r.teamId),
  csvText('scope', (r) => r.scope),
  csvText('repId', (r) => r.rep?.repId),
  csvText('name', (r) => r.rep?.name),
  csvText('role', (r) => r.rep?.role),
  csvText('metric', (r) => r.target?.metric),
  csvNumber('planned', (r) => r.target?.planned),
  csvNumber('actual', (r) => r.target?.actual),
  csvNumber('ratio', (r) => r.target?.ratio),
  csvNumber('completionRatio', (r) => r.outcome.completionRatio),
  csvNumber('itemsTotal', (r) => r.outcome.itemsTotal),
  csvNumber('itemsDone', (r) => r.outcome.itemsDone),
  csvNumber('itemsCarriedOver', (r) => r.outcome.itemsCarriedOver),
];

/** The rows of a report: each rep in the report's order, then the team line. */
export function sprintReportCsvRows(report: SprintReport): SprintReportCsvRow[] {
  const base = { sprintId: report.sprintId, teamId: report.teamId };
  const rowsOf = (scope: 'rep' | 'team', outcome: SprintOutcome, rep?: RepReport): SprintReportCsvRow[] => {
    const common = { ...base, scope, outcome, ...(rep ? { rep } : {}) };
    return outcome.targets.length === 0 ? [common] : outcome.targets.map((target) => ({ ...common, target }));
  };
  return [...report.reps.flatMap((rep) => rowsOf('rep', rep, rep)), ...rowsOf('team', report.team)];
}
