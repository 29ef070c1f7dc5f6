// Team membership over time (SPEC §4 roster): the one fold of roster facts into dated intervals that
// KPI attribution and commission's manager access both read, so the two can never disagree on who was
// in a team at an instant.
//
// The tie-break. Two facts of one (team, rep) may take effect at the same instant (a leave and a
// rejoin, a join and a role change). They are replayed by effective instant, then by the event's
// `recordedtime`, then by event id (code-unit order). All three travel in the event itself, so every
// consumer, whatever order it received the events in (redelivery, a DLQ replay, a rebuild), folds
// them the same way. An order of arrival (a local `seq`) is not in the event and differs between
// consumers; recorded time is the order the roster itself decided them in, and the id only settles
// two facts recorded in the same millisecond. See docs/decisions.md, "Issue 14: one tie-break for
// membership intervals".

/** One roster fact reduced to what intervals need: from `atMs` on, the rep is (`member`) or is not in the team. */
export interface MembershipEvent {
  eventId: string;
  teamId: string;
  repId: string;
  /** True for a join or role change, false for a leave. */
  member: boolean;
  /** The effective instant (`effectiveFrom`, or `effectiveTo` of a leave), epoch milliseconds. */
  atMs: number;
  /** The event's `recordedtime`, epoch milliseconds: the first tie-break. */
  recordedMs: number;
  /** The member's display name and role from this event on (joins and changes; a leave has none). */
  name?: string;
  role?: string;
}

/** `[fromMs, toMs)` during which the rep belonged to the team; `toMs` null while still a member. */
export interface MembershipInterval {
  teamId: string;
  repId: string;
  fromMs: number;
  toMs: number | null;
}

/** A membership interval with one role throughout (a role change starts a new one). */
export interface RoleInterval<R extends string = string> extends MembershipInterval {
  role: R;
}

/** A span of time, `toMs` null for open-ended. */
export interface TimeRange {
  fromMs: number;
  toMs: number | null;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The one replay order of roster facts: effective instant, then recordedtime, then event id. */
export function rosterOrder(a: MembershipEvent, b: MembershipEvent): number {
  return a.atMs - b.atMs || a.recordedMs - b.recordedMs || byCodeUnit(a.eventId, b.eventId);
}

interface Segment<R extends string> extends MembershipInterval {
  role: R | undefined;
}

/**
 * Every (team, rep)'s segments of one role, replayed in `rosterOrder`: each fact ends the open
 * segment at its instant, and a join or role change opens the next. A leave before any join ends
 * nothing; zero-length segments (two facts at one instant) are dropped. Sorted by team, rep, start.
 */
function segmentsOf<R extends string>(events: readonly (MembershipEvent & { role?: R })[]): Segment<R>[] {
  const sorted = [...events].sort(
    (a, b) => byCodeUnit(a.teamId, b.teamId) || byCodeUnit(a.repId, b.repId) || rosterOrder(a, b),
  );
  const out: Segment<R>[] = [];
  let open: Segment<R> | undefined;
  for (const e of sorted) {
    if (open !== undefined && (open.teamId !== e.teamId || open.repId !== e.repId)) {
      out.push(open);
      open = undefined;
    }
    if (open !== undefined) {
      if (e.atMs > open.fromMs) out.push({ ...open, toMs: e.atMs });
      open = undefined;
    }
    if (e.member) open = { teamId: e.teamId, repId: e.repId, role: e.role, fromMs: e.atMs, toMs: null };
  }
  if (open !== undefined) out.push(open);
  return out;
}

/**
 * When each rep belonged to each team, whatever the role: a role change continues the membership (and
 * counts as one even if its join was never seen), a leave ends it. Touching spans are one interval,
 * so one membership history has one spelling. Sorted by team, rep, start.
 */
export function intervalsOf(events: readonly MembershipEvent[]): MembershipInterval[] {
  const out: MembershipInterval[] = [];
  for (const s of segmentsOf(events)) {
    const last = out[out.length - 1];
    if (last && last.teamId === s.teamId && last.repId === s.repId && last.toMs === s.fromMs) {
      last.toMs = s.toMs;
    } else {
      out.push({ teamId: s.teamId, repId: s.repId, fromMs: s.fromMs, toMs: s.toMs });
    }
  }
  return out;
}

/** When each rep held which role in each team (a backdated role change lands where it belongs). */
export function roleIntervalsOf<R extends string>(events: readonly (MembershipEvent & { role?: R })[]): RoleInterval<R>[] {
  const out: RoleInterval<R>[] = [];
  for (const { role, ...span } of segmentsOf(events)) if (role !== undefined) out.push({ ...span, role });
  return out;
}

export function intervalsEqual(a: readonly MembershipInterval[], b: readonly MembershipInterval[]): boolean {
  return a.length === b.length && a.every((x, i) => x.fromMs === b[i]?.fromMs && x.toMs === b[i]?.toMs);
}

function covers(i: MembershipInterval, fromMs: number, toMs: number): boolean {
  return i.fromMs < toMs && (i.toMs === null || i.toMs > fromMs);
}

function contains(intervals: readonly MembershipInterval[], t: number): boolean {
  return intervals.some((i) => covers(i, t, t + 1));
}

/** The spans where membership differs between two interval lists (what a roster change re-attributes). */
export function changedRanges(before: readonly MembershipInterval[], after: readonly MembershipInterval[]): TimeRange[] {
  const points = new Set<number>();
  for (const i of [...before, ...after]) {
    points.add(i.fromMs);
    if (i.toMs !== null) points.add(i.toMs);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const out: TimeRange[] = [];
  for (let k = 0; k < sorted.length; k += 1) {
    const from = sorted[k] as number;
    const to = k + 1 < sorted.length ? (sorted[k + 1] as number) : null;
    if (contains(before, from) === contains(after, from)) continue;
    const last = out[out.length - 1];
    if (last && last.toMs === from) last.toMs = to;
    else out.push({ fromMs: from, toMs: to });
  }
  return out;
}

/** Teams (sorted, distinct) whose intervals contain `t`. */
export function teamsAt(intervals: readonly MembershipInterval[], t: number): string[] {
  const teams = new Set<string>();
  for (const i of intervals) if (covers(i, t, t + 1)) teams.add(i.teamId);
  return [...teams].sort();
}

/** Whether any interval overlaps `[fromMs, toMs)`. */
export function overlaps(intervals: readonly MembershipInterval[], fromMs: number, toMs: number): boolean {
  return intervals.some((i) => covers(i, fromMs, toMs));
}

/** The teams `managerId` manages (role MANAGER) at `nowMs`. */
export function teamsManagedAt(intervals: readonly RoleInterval[], managerId: string, nowMs: number): Set<string> {
  return new Set(
    intervals
      .filter((i) => i.repId === managerId && i.role === 'MANAGER' && covers(i, nowMs, nowMs + 1))
      .map((i) => i.teamId),
  );
}

/**
 * Whether a manager may read a rep's figures for `[fromMs, toMs)`: the manager manages a team now, and
 * the rep was a member of that team at some time in the range (so a rep who since moved on stays
 * visible for the periods they spent in the team).
 */
export function managerCanSee(
  intervals: readonly RoleInterval[],
  managerId: string,
  repId: string,
  range: { fromMs: number; toMs: number },
  nowMs: number,
): boolean {
  if (managerId === repId) return true;
  const teams = teamsManagedAt(intervals, managerId, nowMs);
  return intervals.some((i) => i.repId === repId && teams.has(i.teamId) && covers(i, range.fromMs, range.toMs));
}
