import {
  KPI_METRICS,
  KpiMetric,
  KpiMetrics,
  Role,
  SprintItemStatus,
  SprintReportPublishedData,
} from '@pacer/contracts';
import { isAdditiveMetric, metricNumber, progressRatio, zeroMetrics } from './sprint-metrics';
import { SheetItem, SheetRep, SprintSheet } from './sprint-sheet';
import { Targets } from './sprint.events';

/** The KPI service's snapshot of one scope for the sprint (or a day), as stored from pacer.kpi.v1. */
export interface ActualsSnapshot {
  metrics: KpiMetrics;
  revision: number;
  asOf: string;
}

export interface TargetResult {
  metric: KpiMetric;
  planned: number;
  actual: number | null;
  ratio: number | null;
}

export interface SprintOutcome {
  targets: TargetResult[];
  completionRatio: number | null;
  itemsTotal: number;
  itemsDone: number;
  itemsCarriedOver: number;
}

export interface ReportItem {
  itemId: string;
  title: string;
  status: SprintItemStatus;
  addedAfterStart: boolean;
  carriedFrom?: string;
  carriedTo?: string;
}

export interface RepReport extends SprintOutcome {
  repId: string;
  name: string | null;
  role: Role | null;
  /** Targets as they stood at close (the `targets` above are the ones committed at start). */
  finalTargets: Targets;
  itemsAddedAfterStart: number;
  itemsRemovedAfterStart: number;
  items: ReportItem[];
}

/** The frozen report of a closed sprint (the REST document; the event carries its contract subset). */
export interface SprintReport {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
  goal: string;
  closedAt: string;
  carriedOverTo: string | null;
  /** Newest `asOf` among the KPI snapshots the actuals come from; null when there were none. */
  actualsAsOf: string | null;
  reps: RepReport[];
  team: SprintOutcome;
}

/**
 * Completion ratio (Pacer's definition): the mean over targets with planned > 0 of
 * min(1, actual / planned), a missing actual counting as 0; null when nothing was planned. Capping
 * at 1 keeps one over-achieved metric from hiding a missed one.
 */
export function completionRatio(targets: readonly TargetResult[]): number | null {
  const counted = targets.filter((t) => t.planned > 0);
  if (counted.length === 0) return null;
  const sum = counted.reduce((acc, t) => acc + Math.min(1, t.ratio ?? 0), 0);
  return sum / counted.length;
}

/** Per metric: planned vs the snapshot's actual (zero/null before any snapshot). */
export function targetResults(targets: Targets, actuals: KpiMetrics | undefined): TargetResult[] {
  const metrics = actuals ?? zeroMetrics();
  return KPI_METRICS.filter((m) => targets[m] !== undefined).map((metric) => {
    const planned = targets[metric] as number;
    return {
      metric,
      planned,
      actual: metricNumber(metrics[metric]),
      ratio: progressRatio(metrics[metric], planned),
    };
  });
}

/**
 * The team's targets from its reps' targets: additive metrics (counts, money) sum, ratio metrics take
 * the mean of the reps that set one (a team connect rate is not the sum of its reps' rates).
 */
export function teamTargets(repTargets: readonly Targets[]): Targets {
  const out: Targets = {};
  for (const metric of KPI_METRICS) {
    const values = repTargets.map((t) => t[metric]).filter((v): v is number => v !== undefined);
    if (values.length === 0) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    out[metric] = isAdditiveMetric(metric) ? sum : sum / values.length;
  }
  return out;
}

function itemCounts(
  items: readonly SheetItem[],
): Pick<SprintOutcome, 'itemsTotal' | 'itemsDone' | 'itemsCarriedOver'> {
  const current = items.filter((i) => !i.removed);
  return {
    itemsTotal: current.length,
    itemsDone: current.filter((i) => i.status === 'done').length,
    itemsCarriedOver: current.filter((i) => i.carriedTo !== undefined).length,
  };
}

function repReport(
  rep: SheetRep,
  items: readonly SheetItem[],
  actuals: ActualsSnapshot | undefined,
): RepReport {
  const mine = items.filter((i) => i.repId === rep.repId);
  const current = mine.filter((i) => !i.removed);
  const targets = targetResults(rep.committedTargets ?? {}, actuals?.metrics);
  return {
    repId: rep.repId,
    name: rep.name,
    role: rep.role,
    targets,
    completionRatio: completionRatio(targets),
    ...itemCounts(mine),
    finalTargets: rep.targets,
    itemsAddedAfterStart: current.filter((i) => i.addedAfterStart).length,
    itemsRemovedAfterStart: mine.filter((i) => i.removed).length,
    items: current.map((i) => ({
      itemId: i.itemId,
      title: i.title,
      status: i.status,
      addedAfterStart: i.addedAfterStart,
      ...(i.carriedFrom !== undefined ? { carriedFrom: i.carriedFrom } : {}),
      ...(i.carriedTo !== undefined ? { carriedTo: i.carriedTo } : {}),
    })),
  };
}

function newestAsOf(snapshots: readonly (ActualsSnapshot | undefined)[]): string | null {
  let best: { ms: number; asOf: string } | null = null;
  for (const s of snapshots) {
    if (!s) continue;
    const ms = Date.parse(s.asOf);
    if (!best || ms > best.ms) best = { ms, asOf: s.asOf };
  }
  return best?.asOf ?? null;
}

export interface BuildReportInput {
  sheet: SprintSheet;
  closedAt: string;
  carriedOverTo: string | null;
  repActuals: ReadonlyMap<string, ActualsSnapshot>;
  teamActuals: ActualsSnapshot | undefined;
}

/**
 * The report of a sprint as it closes: planned (the targets committed at start) vs the KPI service's
 * sprint actuals known at that moment, per rep and for the team. It is frozen: activity recorded
 * after the close does not change it.
 */
export function buildSprintReport(input: BuildReportInput): SprintReport {
  const { sheet } = input;
  const reps = sheet.reps.map((rep) => repReport(rep, sheet.items, input.repActuals.get(rep.repId)));
  const planned = teamTargets(sheet.reps.map((r) => r.committedTargets ?? {}));
  const teamResults = targetResults(planned, input.teamActuals?.metrics);
  return {
    sprintId: sheet.sprintId,
    teamId: sheet.teamId,
    startDate: sheet.startDate,
    lengthDays: sheet.lengthDays,
    goal: sheet.goal,
    closedAt: input.closedAt,
    carriedOverTo: input.carriedOverTo,
    actualsAsOf: newestAsOf([...input.repActuals.values(), input.teamActuals]),
    reps,
    team: { targets: teamResults, completionRatio: completionRatio(teamResults), ...itemCounts(sheet.items) },
  };
}

function outcomeOf(o: SprintOutcome): SprintOutcome {
  return {
    targets: o.targets.map(({ metric, planned, actual, ratio }) => ({ metric, planned, actual, ratio })),
    completionRatio: o.completionRatio,
    itemsTotal: o.itemsTotal,
    itemsDone: o.itemsDone,
    itemsCarriedOver: o.itemsCarriedOver,
  };
}

/** The contract subset of a report, for `pacer.sprint.report_published.v1`. */
export function reportPublishedData(report: SprintReport): SprintReportPublishedData {
  return {
    sprintId: report.sprintId,
    teamId: report.teamId,
    startDate: report.startDate,
    lengthDays: report.lengthDays,
    reps: report.reps.map((r) => ({ repId: r.repId, ...outcomeOf(r) })),
    team: outcomeOf(report.team),
  };
}
