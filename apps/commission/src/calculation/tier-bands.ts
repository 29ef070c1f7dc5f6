import type { CommissionBand, PlanTier } from '@pacer/contracts';
import { roundCents } from '@pacer/sales-domain';
import { Dec, money } from './decimal';

/**
 * A tier as a band of credited money: `[lower, upper)`. A band boundary is a money amount, so it is
 * the tier's attainment bound times the quota rounded half-up to cents; every part of a deal that
 * falls in a band is then a whole number of cents, and "reached a band" means the same thing in
 * both tier modes.
 */
export interface MoneyBand {
  index: number;
  from: string;
  to: string | null;
  rate: Dec;
  /** The rate as the plan spells it. */
  rateText: string;
  lower: Dec;
  upper: Dec | null;
}

export function moneyBands(tiers: readonly PlanTier[], quota: Dec): MoneyBand[] {
  const lowers = tiers.map((t) => new Dec(roundCents(new Dec(t.from).times(quota))));
  return tiers.map((tier, index) => ({
    index,
    from: tier.from,
    to: tiers[index + 1]?.from ?? null,
    rate: new Dec(tier.rate),
    rateText: tier.rate,
    lower: lowers[index] as Dec,
    upper: lowers[index + 1] ?? null,
  }));
}

/** The band that cumulative credit `reached` lies in: the last one whose lower bound it has reached. */
export function bandAt(bands: readonly MoneyBand[], reached: Dec): MoneyBand {
  let found = bands[0] as MoneyBand;
  for (const band of bands) {
    if (reached.greaterThanOrEqualTo(band.lower)) found = band;
  }
  return found;
}

export interface BandPart {
  band: MoneyBand;
  credit: Dec;
}

/** Splits the credit `[start, start + credit)` into the parts that fall in each band. */
export function splitAcrossBands(bands: readonly MoneyBand[], start: Dec, credit: Dec): BandPart[] {
  if (credit.isZero()) return [{ band: bandAt(bands, start), credit: new Dec(0) }];
  const end = start.plus(credit);
  const parts: BandPart[] = [];
  for (const band of bands) {
    const lo = Dec.max(start, band.lower);
    const hi = band.upper === null ? end : Dec.min(end, band.upper);
    if (hi.greaterThan(lo)) parts.push({ band, credit: hi.minus(lo) });
  }
  return parts;
}

/** The wire form of a band part (attainment bounds, rate and the credit in it). */
export function toCommissionBand(part: BandPart): CommissionBand {
  return { from: part.band.from, to: part.band.to, rate: part.band.rateText, credit: money(part.credit) };
}
