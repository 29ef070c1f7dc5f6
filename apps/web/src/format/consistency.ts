/**
 * How a manager reads attainment consistency (SPEC §5): the coefficient of variation (standard
 * deviation / mean) says whether a rep lands near the same attainment every period or swings. The
 * API gives the figures; where "steady" ends is the screen's reading, kept here in one place.
 */
export type Steadiness = 'steady' | 'variable' | 'swinging' | 'unknown';

/** Below this CV a rep is steady (90 % ± a few points). */
export const STEADY_BELOW = 0.15;
/** At or above this CV a rep swings (150 % then 40 % is about 0.58). */
export const SWINGING_FROM = 0.35;
/** With fewer ended periods than this the spread says little. */
export const MIN_PERIODS = 3;

export function steadiness(cv: number | null, periods: number): Steadiness {
  if (cv === null || periods < MIN_PERIODS) return 'unknown';
  if (cv < STEADY_BELOW) return 'steady';
  if (cv >= SWINGING_FROM) return 'swinging';
  return 'variable';
}

export type ConsistencyOrder = 'steadyFirst' | 'swingingFirst';

/** Reps ordered by CV (unknown last either way), then by name, then id: a stable order for a table. */
export function byConsistency<T extends { repId: string; name: string | null; coefficientOfVariation: number | null }>(
  rows: readonly T[],
  order: ConsistencyOrder,
): T[] {
  const sign = order === 'steadyFirst' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a.coefficientOfVariation;
    const y = b.coefficientOfVariation;
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) {
      return sign * (x - y);
    }
    return (a.name ?? a.repId).localeCompare(b.name ?? b.repId) || (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0);
  });
}

/** The top of a bar chart of attainments: at least 150 %, so 100 % sits at the same place for most reps. */
export function attainmentScale(values: readonly number[]): number {
  return Math.max(1.5, ...values.filter((v) => Number.isFinite(v)));
}
