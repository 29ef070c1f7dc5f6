import type { Role, SprintItemStatus } from '@pacer/contracts';
import { instantMillis } from '../calendar/sprint-calendar';
import { MembershipSegment } from '../team/membership';
import type { Sprint } from './sprint.aggregate';
import { SprintStatus } from './sprint-schedule';
import { Targets } from './sprint.events';

/** An item as the board and the report read it. */
export interface SheetItem {
  itemId: string;
  repId: string;
  title: string;
  opportunityId?: string;
  dueDate?: string;
  status: SprintItemStatus;
  inSnapshot: boolean;
  addedAfterStart: boolean;
  removed: boolean;
  carriedFrom?: string;
  carriedTo?: string;
}

/** A rep on a sprint: a member of the team during the sprint, or anyone with a commitment in it. */
export interface SheetRep {
  repId: string;
  name: string | null;
  role: Role | null;
  hasCommitment: boolean;
  targets: Targets;
  committedTargets: Targets | null;
}

/**
 * The facts of one sprint that boards and reports are computed from — built from the aggregate (at
 * close) or from the read models (for the board), so both go through the same pure functions.
 */
export interface SprintSheet {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
  goal: string;
  status: SprintStatus;
  reps: SheetRep[];
  /** Items in commitment order per rep (removed ones included, flagged). */
  items: SheetItem[];
}

export interface CommitmentFacts {
  repId: string;
  targets: Targets;
  committedTargets: Targets | null;
}

/**
 * The reps of a sprint: everyone with a commitment plus every member whose membership overlaps the
 * sprint window, named by their latest segment in it; ordered by rep id so output is stable.
 */
export function sheetReps(
  commitments: readonly CommitmentFacts[],
  membersDuringSprint: readonly MembershipSegment[],
): SheetRep[] {
  const latest = new Map<string, MembershipSegment>();
  for (const s of membersDuringSprint) {
    const seen = latest.get(s.repId);
    if (!seen || instantMillis(s.from) >= instantMillis(seen.from)) latest.set(s.repId, s);
  }
  const byRep = new Map(commitments.map((c) => [c.repId, c]));
  const repIds = [...new Set([...byRep.keys(), ...latest.keys()])].sort();
  return repIds.map((repId) => {
    const c = byRep.get(repId);
    const m = latest.get(repId);
    return {
      repId,
      name: m?.name ?? null,
      role: m?.role ?? null,
      hasCommitment: c !== undefined,
      targets: c?.targets ?? {},
      committedTargets: c?.committedTargets ?? null,
    };
  });
}

/** The sheet of a sprint aggregate, with the team's memberships that overlap the sprint window. */
export function sheetFromSprint(
  sprint: Sprint,
  membersDuringSprint: readonly MembershipSegment[],
): SprintSheet {
  const commitments = [...sprint.commitments.values()];
  const items: SheetItem[] = [];
  for (const c of commitments) {
    for (const item of sprint.itemsOf(c.repId)) items.push({ ...item });
  }
  for (const item of sprint.items.values()) if (item.removed) items.push({ ...item });
  return {
    sprintId: sprint.sprintId,
    teamId: sprint.teamId,
    startDate: sprint.startDate,
    lengthDays: sprint.lengthDays,
    goal: sprint.goal,
    status: sprint.status,
    reps: sheetReps(commitments, membersDuringSprint),
    items,
  };
}
