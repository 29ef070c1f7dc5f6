import { sprintEndDate } from '../calendar/sprint-calendar';
import { SprintPlanningError } from '../sprint-planning.error';

export type SprintStatus = 'planned' | 'active' | 'closed';

/** A team's sprint as the schedule rules see it. */
export interface ScheduledSprint {
  sprintId: string;
  startDate: string;
  lengthDays: number;
  status: SprintStatus;
}

/**
 * The team sprint whose dates `[startDate, startDate + lengthDays)` share a day with the candidate's.
 * Dates are tenant-calendar dates, so the comparison needs no zone: both windows are in the same one.
 */
export function findOverlap(
  existing: readonly ScheduledSprint[],
  candidate: Pick<ScheduledSprint, 'sprintId' | 'startDate' | 'lengthDays'>,
): ScheduledSprint | undefined {
  const start = candidate.startDate;
  const end = sprintEndDate(candidate.startDate, candidate.lengthDays);
  return existing.find(
    (s) =>
      s.sprintId !== candidate.sprintId &&
      s.startDate < end &&
      start < sprintEndDate(s.startDate, s.lengthDays),
  );
}

/** Throws `sprint-overlap` when the candidate shares a day with another sprint of the team. */
export function assertNoOverlap(
  existing: readonly ScheduledSprint[],
  candidate: Pick<ScheduledSprint, 'sprintId' | 'startDate' | 'lengthDays'>,
): void {
  const clash = findOverlap(existing, candidate);
  if (clash) {
    const end = sprintEndDate(clash.startDate, clash.lengthDays);
    throw new SprintPlanningError(
      'sprint-overlap',
      `The sprint would overlap sprint ${clash.sprintId} (${clash.startDate} to ${end}, end exclusive); sprints of one team do not overlap.`,
      [{ path: 'startDate', message: `overlaps sprint ${clash.sprintId}` }],
      { conflictingSprintId: clash.sprintId },
    );
  }
}

/** Throws `another-sprint-active` when a team sprint other than `sprintId` is running. */
export function assertNoOtherActive(existing: readonly ScheduledSprint[], sprintId: string): void {
  const active = existing.find((s) => s.status === 'active' && s.sprintId !== sprintId);
  if (active) {
    throw new SprintPlanningError(
      'another-sprint-active',
      `Sprint ${active.sprintId} of this team is still active; close it before starting another.`,
      undefined,
      { activeSprintId: active.sprintId },
    );
  }
}

/**
 * Where a closing sprint's unfinished items go: the team's next sprint, i.e. the earliest sprint that
 * starts after the closing one and has not started yet. None means the items stay unfinished.
 */
export function nextSprintAfter(
  closing: ScheduledSprint,
  existing: readonly ScheduledSprint[],
): ScheduledSprint | undefined {
  return existing
    .filter(
      (s) => s.sprintId !== closing.sprintId && s.status === 'planned' && s.startDate > closing.startDate,
    )
    .sort((a, b) =>
      a.startDate === b.startDate ? a.sprintId.localeCompare(b.sprintId) : a.startDate < b.startDate ? -1 : 1,
    )[0];
}
