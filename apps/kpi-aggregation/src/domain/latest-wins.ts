/** A record that replaces earlier ones of the same identity (settings, a sprint plan, a quota). */
export interface Versioned {
  recordedMs: number;
  eventId: string;
}

/**
 * Whether `candidate` replaces `current`: the newer recordedtime wins, and equal times fall back to
 * the event id. The rule reads only the events themselves, so any arrival order (and a rebuild)
 * picks the same winner.
 */
export function supersedes(candidate: Versioned, current: Versioned | undefined): boolean {
  if (!current) return true;
  if (candidate.recordedMs !== current.recordedMs) return candidate.recordedMs > current.recordedMs;
  return candidate.eventId > current.eventId;
}

/** The winner among `current` and `candidates`, or undefined when there is none. */
export function latestOf<T extends Versioned>(current: T | undefined, candidates: readonly T[]): T | undefined {
  let best = current;
  for (const c of candidates) if (supersedes(c, best)) best = c;
  return best;
}
