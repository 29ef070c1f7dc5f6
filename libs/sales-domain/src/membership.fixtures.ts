import type { MembershipEvent } from './membership';

/** A roster fact of rep `r` in team `t` for the membership specs; `over` names another team, rep or role. */
export function rosterFact(
  eventId: string,
  member: boolean,
  atMs: number,
  recordedMs = 0,
  over: Partial<MembershipEvent> = {},
): MembershipEvent {
  return { eventId, teamId: 't', repId: 'r', member, atMs, recordedMs, ...over };
}
