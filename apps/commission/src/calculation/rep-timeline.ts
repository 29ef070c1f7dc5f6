import { DateTime } from 'luxon';
import type { PlanPeriod } from '@pacer/contracts';
import {
  formatInstant,
  parseInstant,
  periodContaining,
  startOfLocalDate,
  TenantCalendar,
} from '@pacer/sales-domain';
import type { PlanVersion, StatementWindow } from './statement.types';

/** A rep's plan from a tenant-calendar date on. */
export interface AssignmentFact {
  planId: string;
  effectiveFrom: string;
  eventId: string;
}

/** One statement period of a rep: its key, its window, and the plan version that governs it. */
export interface TimelineWindow extends StatementWindow {
  key: string;
  type: PlanPeriod;
  startMs: number;
  endMs: number;
  planId: string;
  /** Null when the assigned plan has no version in force during the window. */
  version: PlanVersion | null;
  assignmentEventId: string;
}

// Far more periods than any statement history needs (400 years of months); stops a runaway loop.
const MAX_WINDOWS = 5_000;

interface Dated<T> {
  startMs: number;
  item: T;
}

function lastAtOrBefore<T>(items: readonly Dated<T>[], ms: number): T | undefined {
  let found: T | undefined;
  for (const d of items) {
    if (d.startMs <= ms) found = d.item;
    else break;
  }
  return found;
}

/**
 * Cuts a rep's time into statement periods (README "Plan periods"). The period containing the first
 * assignment's date is the first period, whole. After that, the assignment in force at each period's
 * start governs the whole period: an assignment dated mid-period takes effect at the next boundary.
 * A change of period type (a monthly plan after a quarterly one) starts the new plan's first period at
 * that boundary, cut short at the start (`truncated`). Within the assigned plan, the version in force
 * at the window's start governs; if none is yet, the first version starting inside the window does.
 */
export function buildTimeline(
  assignments: readonly AssignmentFact[],
  versionsByPlan: ReadonlyMap<string, readonly PlanVersion[]>,
  calendar: TenantCalendar,
  untilMs: number,
): TimelineWindow[] {
  if (assignments.length === 0) return [];
  const zone = calendar.timezone;
  const dated = [...assignments]
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0))
    .map((item) => ({ startMs: localDateStartMs(item.effectiveFrom, zone), item }));
  const versions = new Map<string, Dated<PlanVersion>[]>();
  const versionsOf = (planId: string): Dated<PlanVersion>[] => {
    let list = versions.get(planId);
    if (list === undefined) {
      list = [...(versionsByPlan.get(planId) ?? [])]
        .map((item) => ({ startMs: localDateStartMs(item.body.effectiveFrom, zone), item }))
        .sort((a, b) => a.startMs - b.startMs || a.item.version - b.item.version);
      versions.set(planId, list);
    }
    return list;
  };

  const windows: TimelineWindow[] = [];
  let cursor = (dated[0] as Dated<AssignmentFact>).startMs;
  let previousEnd: number | null = null;
  while (cursor <= untilMs && windows.length < MAX_WINDOWS) {
    const assignment = lastAtOrBefore(dated, cursor) ?? (dated[0] as Dated<AssignmentFact>).item;
    const planVersions = versionsOf(assignment.planId);
    const typeVersion = lastAtOrBefore(planVersions, cursor) ?? planVersions[0]?.item;
    if (typeVersion === undefined) {
      // A plan without versions cannot cut periods; wait for the next assignment.
      const next = dated.find((d) => d.startMs > cursor);
      if (next === undefined) break;
      cursor = next.startMs;
      continue;
    }
    let window = cut(typeVersion.body.period, cursor, previousEnd, calendar);
    let version = governing(planVersions, window.startMs, window.endMs);
    if (version !== null && version.body.period !== window.type) {
      window = cut(version.body.period, cursor, previousEnd, calendar);
      version = governing(planVersions, window.startMs, window.endMs);
    }
    windows.push({ ...window, planId: assignment.planId, version, assignmentEventId: assignment.eventId });
    previousEnd = window.endMs;
    cursor = window.endMs;
  }
  return windows;
}

type Cut = Readonly<Omit<TimelineWindow, 'planId' | 'version' | 'assignmentEventId'>>;

// Timelines are rebuilt for every rep of every batch, and luxon's calendar arithmetic was most of
// their cost; the same few periods recur across reps and batches. Both memos are pure functions of
// their key (the zone rules do not change while the process runs); the bound only caps memory.
const MEMO_LIMIT = 20_000;
const cuts = new Map<string, Cut>();
const dateStarts = new Map<string, number>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

function localDateStartMs(date: string, zone: string): number {
  const key = `${zone}\u0000${date}`;
  return dateStarts.get(key) ?? remember(dateStarts, key, startOfLocalDate(date, zone).toMillis());
}

function cut(type: PlanPeriod, cursor: number, previousEnd: number | null, calendar: TenantCalendar): Cut {
  const key = `${type}\u0000${cursor}\u0000${previousEnd}\u0000${calendar.timezone}\u0000${calendar.weekStartsOn}\u0000${calendar.fiscalYearStartMonth}`;
  return cuts.get(key) ?? remember(cuts, key, cutPeriod(type, cursor, previousEnd, calendar));
}

function cutPeriod(
  type: PlanPeriod,
  cursor: number,
  previousEnd: number | null,
  calendar: TenantCalendar,
): Cut {
  const period = periodContaining(
    type,
    DateTime.fromMillis(cursor, { zone: 'utc' }).toISO() as string,
    calendar,
  );
  const periodStart = parseInstant(period.start).toMillis();
  const endMs = parseInstant(period.end).toMillis();
  const startMs = previousEnd === null ? periodStart : Math.max(periodStart, previousEnd);
  const truncated = startMs > periodStart;
  const start = truncated
    ? formatInstant(DateTime.fromMillis(startMs, { zone: calendar.timezone }))
    : period.start;
  return { key: period.key, type, start, end: period.end, startMs, endMs, truncated };
}

function governing(
  versions: readonly Dated<PlanVersion>[],
  startMs: number,
  endMs: number,
): PlanVersion | null {
  const inForce = lastAtOrBefore(versions, startMs);
  if (inForce !== undefined) return inForce;
  return versions.find((v) => v.startMs < endMs)?.item ?? null;
}

/** The window containing the instant, or undefined before the rep's first period. */
export function windowAt(windows: readonly TimelineWindow[], ms: number): TimelineWindow | undefined {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = windows[mid] as TimelineWindow;
    if (ms < w.startMs) hi = mid - 1;
    else if (ms >= w.endMs) lo = mid + 1;
    else return w;
  }
  return undefined;
}
