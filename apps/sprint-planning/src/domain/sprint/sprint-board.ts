import { KPI_METRICS, KpiMetric, KpiMetrics, Role, SprintItemStatus } from '@pacer/contracts';
import { SprintDay } from '../calendar/sprint-calendar';
import { OpportunityState } from '../opportunity/opportunity-state';
import { MembershipSegment } from '../team/membership';
import { Burnup, buildBurnup, burnupMetrics } from './sprint-burnup';
import { progressRatio, zeroMetrics } from './sprint-metrics';
import { ActualsSnapshot, teamLine } from './sprint-report';
import { SheetItem, SprintSheet } from './sprint-sheet';
import { SprintStatus } from './sprint-schedule';
import { Targets } from './sprint.events';

export type Progress = Partial<Record<KpiMetric, number | null>>;

export interface BoardItem {
  itemId: string;
  title: string;
  opportunityId?: string;
  dueDate?: string;
  status: SprintItemStatus;
  /** In the commitment snapshotted at start. */
  committed: boolean;
  addedAfterStart: boolean;
  carriedFrom?: string;
  carriedTo?: string;
  /**
   * The linked opportunity's current stage, status, amount, expected close and probability, from the
   * activity stream (issue 17); null while nothing about it has been received.
   */
  opportunity?: OpportunityState | null;
}

export interface BoardRep {
  repId: string;
  name: string | null;
  role: Role | null;
  /** Current targets (what the progress ratios measure). */
  targets: Targets;
  /** Targets as committed at start; null before start, or when the rep committed only afterwards. */
  committedTargets: Targets | null;
  /** The KPI service's sprint snapshot for the rep (zero/null before the first one). */
  actuals: KpiMetrics;
  actualsRevision: number | null;
  progress: Progress;
  items: BoardItem[];
  /** Items that were in the start snapshot and were dropped from the commitment afterwards. */
  removedItems: BoardItem[];
  itemsTotal: number;
  itemsDone: number;
}

export interface SprintBoard {
  sprintId: string;
  teamId: string;
  status: SprintStatus;
  startDate: string;
  lengthDays: number;
  goal: string;
  timezone: string;
  window: { start: string; end: string };
  version: number;
  reps: BoardRep[];
  /**
   * Like with like (SPEC §4): per targeted metric, the committed reps' targets and the same reps'
   * actuals. `snapshot` is the KPI service's team snapshot, which counts every member.
   */
  team: {
    targets: Targets;
    actuals: Partial<KpiMetrics>;
    progress: Progress;
    snapshot: KpiMetrics;
    snapshotRevision: number | null;
    itemsTotal: number;
    itemsDone: number;
  };
  burnup: Burnup;
}

export interface BuildBoardInput {
  sheet: SprintSheet;
  version: number;
  timezone: string;
  window: { start: string; end: string };
  repActuals: ReadonlyMap<string, ActualsSnapshot>;
  teamActuals: ActualsSnapshot | undefined;
  /** Days shown on the burnup: every day of a closed sprint, the elapsed days of a running one. */
  days: readonly SprintDay[];
  memberships: readonly MembershipSegment[];
  daily: (repId: string, date: string) => KpiMetrics | undefined;
  /** Current state of the opportunities items link to (absent: none known). */
  opportunities?: ReadonlyMap<string, OpportunityState>;
}

/** progress = actual / target per target (null when the target is 0 or the actual is null). */
export function progressOf(targets: Targets, actuals: Partial<KpiMetrics>): Progress {
  const out: Progress = {};
  for (const metric of KPI_METRICS) {
    const target = targets[metric];
    if (target !== undefined) out[metric] = progressRatio(actuals[metric], target);
  }
  return out;
}

function boardItem(i: SheetItem, opportunities: ReadonlyMap<string, OpportunityState>): BoardItem {
  return {
    itemId: i.itemId,
    title: i.title,
    ...(i.opportunityId !== undefined ? { opportunityId: i.opportunityId } : {}),
    ...(i.dueDate !== undefined ? { dueDate: i.dueDate } : {}),
    status: i.status,
    committed: i.inSnapshot,
    addedAfterStart: i.addedAfterStart,
    ...(i.carriedFrom !== undefined ? { carriedFrom: i.carriedFrom } : {}),
    ...(i.carriedTo !== undefined ? { carriedTo: i.carriedTo } : {}),
    ...(i.opportunityId !== undefined ? { opportunity: opportunities.get(i.opportunityId) ?? null } : {}),
  };
}

/** The sprint board: per rep targets, KPI actuals, progress and items; team totals; burnup. */
export function buildSprintBoard(input: BuildBoardInput): SprintBoard {
  const { sheet } = input;
  const opportunities = input.opportunities ?? new Map<string, OpportunityState>();
  const reps: BoardRep[] = sheet.reps.map((rep) => {
    const snapshot = input.repActuals.get(rep.repId);
    const actuals = snapshot?.metrics ?? zeroMetrics();
    const mine = sheet.items.filter((i) => i.repId === rep.repId);
    const current = mine.filter((i) => !i.removed);
    return {
      repId: rep.repId,
      name: rep.name,
      role: rep.role,
      targets: rep.targets,
      committedTargets: rep.committedTargets,
      actuals,
      actualsRevision: snapshot?.revision ?? null,
      progress: progressOf(rep.targets, actuals),
      items: current.map((i) => boardItem(i, opportunities)),
      removedItems: mine.filter((i) => i.removed).map((i) => boardItem(i, opportunities)),
      itemsTotal: current.length,
      itemsDone: current.filter((i) => i.status === 'done').length,
    };
  });
  const line = teamLine(reps);
  const allTargets = sheet.reps.flatMap((r) => [r.targets, r.committedTargets ?? {}]);
  return {
    sprintId: sheet.sprintId,
    teamId: sheet.teamId,
    status: sheet.status,
    startDate: sheet.startDate,
    lengthDays: sheet.lengthDays,
    goal: sheet.goal,
    timezone: input.timezone,
    window: input.window,
    version: input.version,
    reps,
    team: {
      targets: line.targets,
      actuals: line.actuals,
      progress: progressOf(line.targets, line.actuals),
      snapshot: input.teamActuals?.metrics ?? zeroMetrics(),
      snapshotRevision: input.teamActuals?.revision ?? null,
      itemsTotal: reps.reduce((n, r) => n + r.itemsTotal, 0),
      itemsDone: reps.reduce((n, r) => n + r.itemsDone, 0),
    },
    burnup: buildBurnup({
      metrics: burnupMetrics(allTargets),
      days: input.days,
      repIds: sheet.reps.map((r) => r.repId),
      memberships: input.memberships,
      daily: input.daily,
      targets: (repId, metric) => reps.some((r) => r.repId === repId && r.targets[metric] !== undefined),
    }),
  };
}
