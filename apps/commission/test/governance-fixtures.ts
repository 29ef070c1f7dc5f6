import { Decimal } from 'decimal.js';
import {
  applyPostings,
  LedgerBalance,
  LedgerPosting,
  planPostings,
  PostingContext,
} from '../src/calculation/ledger-postings';
import { asPriorPeriodAdjustments } from '../src/calculation/prior-period';
import type { ComputedStatement } from '../src/calculation/statement.types';

export const CLOSED = 'FY2026-Q1';
export const OPEN = 'FY2026-Q4';

/**
 * The ledger of one statement that gets closed, as the recalculator keeps it: before the close its
 * corrections are its own lines; after, each recalculation's corrections are booked as prior-period
 * adjustments in the open period, and they count toward the closed calculation's balance (so they are
 * never booked twice) but never toward the frozen statement's total.
 */
export class ClosingLedger {
  private balances = new Map<string, LedgerBalance>();
  /** The lines of the closed statement itself. */
  readonly own: LedgerPosting[] = [];
  /** The lines booked in the open period for it. */
  readonly booked: LedgerPosting[] = [];
  closed = false;

  constructor(
    private readonly ctx: Omit<PostingContext, 'voided'> = {
      currency: 'USD',
      fallbackSourceIds: ['plan-ae-v1'],
      leftReason: 'test',
    },
  ) {}

  /** Brings the ledger to `statement`; answers what was posted (own lines, or booked adjustments once closed). */
  recalculate(
    statement: ComputedStatement,
    voided = new Map<string, string>(),
    causes: string[] = [],
  ): LedgerPosting[] {
    const postings = planPostings(statement.lines, this.balances, { ...this.ctx, voided });
    this.balances = applyPostings(this.balances, statement.lines, postings);
    if (!this.closed) {
      this.own.push(...postings);
      return postings;
    }
    const booked = asPriorPeriodAdjustments(postings, CLOSED, OPEN, causes);
    this.booked.push(...booked);
    return booked;
  }

  /** The frozen statement's total: the sum of its own lines. */
  get frozenTotal(): string {
    return sum(this.own);
  }

  get bookedTotal(): string {
    return sum(this.booked);
  }
}

export function sum(postings: readonly { amount: string }[]): string {
  return postings.reduce((s, p) => s.plus(p.amount), new Decimal(0)).toFixed(2);
}
