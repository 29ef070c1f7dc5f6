import { parseInstant, PeriodWindow, sprintWindow, TenantCalendar } from '@pacer/sales-domain';
import { Versioned } from './latest-wins';

/** A planned sprint; its window is cut in the tenant's current time zone, not the one it was planned in. */
export interface SprintRecord extends Versioned {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
}

export interface SprintSpan {
  sprintId: string;
  teamId: string;
  window: PeriodWindow;
  startMs: number;
  endMs: number;
}

const spans = new Map<string, SprintSpan>();

/** The sprint's window in the calendar's zone (memoised: zone maths is slow and sprints are few). */
export function sprintSpan(sprint: SprintRecord, calendar: TenantCalendar): SprintSpan {
  const id = JSON.stringify([sprint.sprintId, sprint.teamId, sprint.startDate, sprint.lengthDays, calendar.timezone]);
  let span = spans.get(id);
  if (!span) {
    const window = sprintWindow(sprint.sprintId, sprint.startDate, sprint.lengthDays, calendar.timezone);
    span = {
      sprintId: sprint.sprintId,
      teamId: sprint.teamId,
      window,
      startMs: parseInstant(window.start).toMillis(),
      endMs: parseInstant(window.end).toMillis(),
    };
    if (spans.size >= 100_000) spans.clear();
    spans.set(id, span);
  }
  return span;
}

export function sameSprintPlan(a: SprintRecord, b: SprintRecord): boolean {
  return a.teamId === b.teamId && a.startDate === b.startDate && a.lengthDays === b.lengthDays;
}
