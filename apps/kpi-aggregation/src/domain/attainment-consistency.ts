import { Decimal } from 'decimal.js';

/** One ended period's attainment, as its rep snapshot states it. */
export interface AttainmentPoint {
  key: string;
  start: string;
  end: string;
  quota: string;
  revenueWon: string;
  quotaAttainment: number;
  revision: number;
}

/** How steady a rep's quota attainment is over the periods given (SPEC §5 consistency). */
export interface AttainmentConsistency {
  periods: AttainmentPoint[];
  mean: number | null;
  /** Population standard deviation (divided by the number of periods, not one less). */
  standardDeviation: number | null;
  /** standardDeviation / mean; null without periods or when the mean is 0. */
  coefficientOfVariation: number | null;
}

/**
 * Mean, population standard deviation and coefficient of variation of the attainments, computed in
 * decimals (the snapshot's numbers are the inputs, so a reader can recompute them) and handed out as
 * unrounded numbers, like every ratio of the KPI API.
 */
export function attainmentConsistency(periods: readonly AttainmentPoint[]): AttainmentConsistency {
  if (periods.length === 0) return { periods: [], mean: null, standardDeviation: null, coefficientOfVariation: null };
  const values = periods.map((p) => new Decimal(p.quotaAttainment));
  const n = values.length;
  const mean = values.reduce((s, v) => s.plus(v), new Decimal(0)).dividedBy(n);
  const variance = values.reduce((s, v) => s.plus(v.minus(mean).pow(2)), new Decimal(0)).dividedBy(n);
  const sd = variance.sqrt();
  return {
    periods: [...periods],
    mean: mean.toNumber(),
    standardDeviation: sd.toNumber(),
    coefficientOfVariation: mean.isZero() ? null : sd.dividedBy(mean).toNumber(),
  };
}
