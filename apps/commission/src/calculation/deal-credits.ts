import type { DealCredit } from '@pacer/contracts';
import { RepCredit, splitCredits } from '@pacer/sales-domain';

/**
 * The reps' credits of a won deal per SPEC §3/§5, by the one rule KPIs use too (`splitCredits`:
 * half-up per share, the last credit takes the remainder, never below zero).
 */
export function creditsOfDeal(
  amount: string,
  primaryRepId: string,
  credits?: readonly DealCredit[],
): RepCredit[] {
  return splitCredits(amount, primaryRepId, credits);
}
