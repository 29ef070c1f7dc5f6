import type { CommissionBand, PlanBody } from '@pacer/contracts';

/** One immutable version of a comp plan, with the id of the event that created it (lineage). */
export interface PlanVersion {
  planId: string;
  version: number;
  eventId: string;
  body: PlanBody;
}

export interface QuotaFact {
  amount: string;
  eventId: string;
}

export interface CancellationFact {
  activityId: string;
  eventId: string;
  occurredAt: string;
}

/** One rep's credit from one `deal_won`, as stored. */
export interface DealFact {
  activityId: string;
  dealId: string;
  wonEventId: string;
  occurredAt: string;
  primaryRepId: string;
  amount: string;
  share: string;
  credit: string;
  currency: string;
  /** The earliest non-voided `deal_cancelled` of the deal, if any. */
  cancellation?: CancellationFact;
}

/** The part of the tenant calendar a statement window covers. `truncated` when it starts after its period's start. */
export interface StatementWindow {
  start: string;
  end: string;
  truncated: boolean;
}

export interface StatementInput {
  repId: string;
  periodKey: string;
  window: StatementWindow;
  plan: PlanVersion;
  quota: QuotaFact | null;
  /** Non-voided deal credits of the rep in the window, in any order. */
  deals: readonly DealFact[];
  /** The tenant's zone: clawback windows are counted in its calendar days. */
  timezone: string;
}

export type BreakdownKind = 'deal' | 'retroactive_adjustment' | 'spiff' | 'cap';

/**
 * `credited`: counts for the period; `clawed_back`: cancelled within the clawback window, its credit
 * removed; `stands`: cancelled after the window, the commission stands.
 */
export type DealStatus = 'credited' | 'clawed_back' | 'stands';

/** One line of the current calculation of a period (a pure function of the facts). */
export interface BreakdownLine {
  lineId: string;
  kind: BreakdownKind;
  amount: string;
  sourceEventIds: string[];
  note?: string;
  dealId?: string;
  occurredAt?: string;
  credit?: string;
  share?: string;
  dealAmount?: string;
  status?: DealStatus;
  bands?: CommissionBand[];
  /** Retroactive adjustment: the rate the deal earned when it was won and the rate of the band the period reached. */
  fromRate?: string;
  toRate?: string;
  reachedAtDealId?: string;
  spiffId?: string;
  metric?: string;
  threshold?: string;
  metricValue?: string | null;
  reached?: boolean;
  cap?: string;
  subtotal?: string;
}

export type ExceptionReason = 'currency_mismatch' | 'duplicate_deal' | 'no_plan';

/** A deal credit that earns nothing, with the reason (listed by `GET /v1/exceptions`). */
export interface DealException {
  activityId: string;
  dealId: string;
  occurredAt: string;
  reason: ExceptionReason;
  detail: string;
  credit: string;
  currency: string;
  expectedCurrency?: string;
  wonEventId: string;
}

/**
 * Where the calculation of a period stands after its deals so far (deal order), enough to extend it
 * with later deals without recomputing the earlier ones. Only for periods whose earlier lines a later
 * deal cannot change: graduated tiers, or no quota.
 */
export interface StatementCheckpoint {
  planEventId: string;
  quotaEventId: string | null;
  /** The last deal taken, in `(occurredAt, dealId, activityId)` order; an extension must come after it. */
  last: { ms: number; dealId: string; activityId: string } | null;
  cumulative: string;
  dealsWon: number;
  /** Sum and number of the head lines (deal lines and the SPIFFs reached with them). */
  headTotal: string;
  headCount: number;
  reachedSpiffs: string[];
}

export interface ComputedStatement {
  quota: string | null;
  credited: string;
  /** credited / quota as an exact decimal string, or null without a quota. */
  attainment: string | null;
  /**
   * Head lines first (deals, their retroactive adjustments, SPIFFs where reached), then the tail
   * (rounding, SPIFFs not reached, cap): `lines.slice(0, headCount)` is the head.
   */
  lines: BreakdownLine[];
  headCount: number;
  total: string;
  notes: string[];
  exceptions: DealException[];
  checkpoint: StatementCheckpoint | null;
}
