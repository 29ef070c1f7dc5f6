import type { Role } from '@pacer/contracts';
import { instantMillis, intervalsOverlap } from '../calendar/sprint-calendar';

/** One dated period of a rep in a team with one name and role: `[from, to)`, `to` absent = open. */
export interface MembershipSegment {
  repId: string;
  name: string;
  role: Role;
  from: string;
  to?: string;
}

/** The segments of one rep, oldest first. */
export function segmentsOf(segments: readonly MembershipSegment[], repId: string): MembershipSegment[] {
  return segments
    .filter((s) => s.repId === repId)
    .sort((a, b) => instantMillis(a.from) - instantMillis(b.from));
}

/** The rep's latest segment, open or closed. */
export function lastSegmentOf(
  segments: readonly MembershipSegment[],
  repId: string,
): MembershipSegment | undefined {
  const mine = segmentsOf(segments, repId);
  return mine[mine.length - 1];
}

/** Whether the segment covers `instant`. */
export function coversInstant(segment: MembershipSegment, instant: string): boolean {
  const t = instantMillis(instant);
  return instantMillis(segment.from) <= t && (segment.to === undefined || t < instantMillis(segment.to));
}

/** Segments that share at least a moment with `[start, end)`. */
export function segmentsOverlapping(
  segments: readonly MembershipSegment[],
  start: string,
  end: string,
): MembershipSegment[] {
  return segments.filter((s) => intervalsOverlap(s.from, s.to, start, end));
}

/** Reps who are members at `instant`, with their segment then. */
export function membersAt(segments: readonly MembershipSegment[], instant: string): MembershipSegment[] {
  return segments.filter((s) => coversInstant(s, instant));
}
