import { money } from './decimal';
import { DELTA_TYPES, LedgerPosting } from './ledger-postings';

export interface ManualAdjustmentInput {
  /** A fresh id: the line is `manual:{adjustmentId}`, and the id is the line's first source. */
  adjustmentId: string;
  amount: string;
  currency: string;
  reason: string;
  adjustedBy: string;
  /** The dispute it resolves, and that dispute's events (lineage). */
  disputeId?: string;
  sources?: readonly string[];
  /** The period asked for, when it is closed and the line is booked in `bookedIn` instead. */
  closedPeriodKey?: string;
  bookedIn?: string;
}

/**
 * A `manual_adjustment` line: its own base line (no calculation holds it, so no recalculation ever
 * reverses it), citing the command and any dispute it resolves.
 */
export function manualAdjustmentPosting(input: ManualAdjustmentInput): LedgerPosting {
  const lineId = `manual:${input.adjustmentId}`;
  return {
    lineId,
    appliesTo: lineId,
    type: DELTA_TYPES.manual,
    kind: 'manual_adjustment',
    amount: money(input.amount),
    currency: input.currency,
    reason: input.reason,
    adjustedBy: input.adjustedBy,
    sourceEventIds: [...new Set([input.adjustmentId, ...(input.sources ?? [])])],
    ...(input.disputeId !== undefined ? { disputeId: input.disputeId } : {}),
    ...(input.closedPeriodKey !== undefined
      ? {
          note: `For closed period ${input.closedPeriodKey}, booked in ${input.bookedIn ?? 'the open period'}: ${input.reason}`,
        }
      : {}),
  };
}
