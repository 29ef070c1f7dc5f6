/** One roster event reduced to what attribution needs: from `atMs` on, the rep is (not) in the team. */
export interface MembershipEvent {
  eventId: string;
  teamId: string;
  repId: string;
  member: boolean;
  atMs: number;
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

/** A span of time, `toMs` null for open-ended. */
export interface TimeRange {
  fromMs: number;
  toMs: number | null;
}

function byTime(a: MembershipEvent, b: MembershipEvent): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  if (a.recordedMs !== b.recordedMs) return a.recordedMs - b.recordedMs;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/**
 * The intervals of one (team, rep) from all of its events, whatever order they arrived in: replayed
 * by effective time (then recordedtime, then id); joins and role changes make the rep a member from
 * then on, a leave ends it. A role change without a join still counts as membership (the join may
 * simply not have been seen); zero-length intervals are dropped.
 */
export function intervalsOf(events: readonly MembershipEvent[]): MembershipInterval[] {
  const sorted = [...events].sort(byTime);
  const out: MembershipInterval[] = [];
  let open: MembershipInterval | undefined;
  for (const e of sorted) {
    if (e.member && !open) {
      open = { teamId: e.teamId, repId: e.repId, fromMs: e.atMs, toMs: null };
    } else if (!e.member && open) {
      if (e.atMs > open.fromMs) out.push({ ...open, toMs: e.atMs });
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out;
}

export function intervalsEqual(a: readonly MembershipInterval[], b: readonly MembershipInterval[]): boolean {
  return a.length === b.length && a.every((x, i) => x.fromMs === b[i]?.fromMs && x.toMs === b[i]?.toMs);
}

function contains(intervals: readonly MembershipInterval[], t: number): boolean {
  return intervals.some((i) => i.fromMs <= t && (i.toMs === null || t < i.toMs));
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
  for (const i of intervals) if (i.fromMs <= t && (i.toMs === null || t < i.toMs)) teams.add(i.teamId);
  return [...teams].sort();
}

/** Whether any interval overlaps `[fromMs, toMs)`. */
export function overlaps(intervals: readonly MembershipInterval[], fromMs: number, toMs: number): boolean {
  return intervals.some((i) => i.fromMs < toMs && (i.toMs === null || i.toMs > fromMs));
}
