import { Decimal } from 'decimal.js';
import { formatMoney, roundCents } from './money';

export interface CreditShare {
  repId: string;
  share: string;
}

export interface RepCredit {
  repId: string;
  share: string;
  /** The rep's credited amount, a money string; the credits of one deal sum to its amount exactly. */
  credit: string;
}

/**
 * Splits a won deal's amount among its credited reps (SPEC §3, §5): each credit is amount × share
 * rounded half-up to cents, and the last credit takes the remainder so the credits sum to the amount.
 * Without `credits` the primary rep gets share 1. Callers validate that shares sum to exactly 1.
 *
 * When every earlier credit was rounded up (0.02 split four ways gives 0.01 × 3) the remainder would
 * be negative, which is neither a credit nor valid money on the wire: the last credit is then 0 and
 * the shortfall is taken back a cent at a time from the earlier credits, last first. KPIs and
 * commissions both use this one rule, so they agree on every rep's revenue.
 */
export function splitCredits(amount: string, primaryRepId: string, credits?: readonly CreditShare[]): RepCredit[] {
  const total = new Decimal(amount);
  if (!credits || credits.length === 0) {
    return [{ repId: primaryRepId, share: '1', credit: formatMoney(total) }];
  }
  let allocated = new Decimal(0);
  const values = credits.map((c, i) => {
    const credit = i === credits.length - 1 ? total.minus(allocated) : roundCents(total.times(c.share));
    allocated = allocated.plus(credit);
    return credit;
  });
  let shortfall = Decimal.max(0, (values[values.length - 1] as Decimal).negated());
  if (shortfall.gt(0)) {
    values[values.length - 1] = new Decimal(0);
    for (let i = values.length - 2; i >= 0 && shortfall.gt(0); i -= 1) {
      const take = Decimal.min(values[i] as Decimal, shortfall);
      values[i] = (values[i] as Decimal).minus(take);
      shortfall = shortfall.minus(take);
    }
  }
  return credits.map((c, i) => ({ repId: c.repId, share: c.share, credit: formatMoney(values[i] as Decimal) }));
}

/** Whether shares are each in (0, 1] and sum to exactly 1, compared as exact decimals. */
export function sharesSumToOne(credits: readonly CreditShare[]): boolean {
  let sum = new Decimal(0);
  for (const c of credits) {
    const share = new Decimal(c.share);
    if (share.lte(0) || share.gt(1)) return false;
    sum = sum.plus(share);
  }
  return sum.equals(1);
}
