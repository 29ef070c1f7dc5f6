import { CommissionError } from '../commission.error';
import { planPeriodOfKey } from '@pacer/contracts';
import { decodeKeysetCursor } from '@pacer/http';
import type { DealRecord } from '../ledger/deal-credits.repository';
import { StatementStatus } from '../ledger/statement-document';

export interface PeriodStateView {
  periodKey: string;
  closed: boolean;
  closedAt: string | null;
  closedBy: string | null;
  paidAt: string | null;
  paidBy: string | null;
  /** Statements of the period in the tenant. */
  statements: number;
}

/** `GET /v1/periods/{periodKey}`: a period's governance state, read from closed_periods and the audit log. */
export interface PeriodView {
  periodKey: string;
  status: PeriodStatus;
  closedAt: string | null;
  closedBy: string | null;
  /** The last reopen, when there was one (the audit log keeps it: a reopen deletes the closed_periods row). */
  reopenedAt?: string;
  reopenedBy?: string;
  paidAt?: string;
  paidBy?: string;
  /** Statements of the period the caller may read (a manager: those of the reps of their teams). */
  statements: { total: number; draft: number; approved: number; paid: number };
}

export type PeriodStatus = 'open' | 'closed' | 'paid';

export interface PeriodsFilter {
  reps: 'all' | Set<string>;
  status?: PeriodStatus;
  cursor?: string;
  limit: number;
}

export interface StatementHeadView {
  statementId: string;
  repId: string;
  periodKey: string;
  status: StatementStatus;
  version: number;
  currency: string;
  total: string;
  approvedBy: string | null;
  approvedAt: string | null;
  closed: boolean;
}

export interface ManualAdjustmentView {
  adjustmentId: string;
  repId: string;
  /** The period the line is booked in: the one asked for, or the rep's open period when that is closed. */
  periodKey: string;
  requestedPeriodKey: string;
  lineId: string;
  amount: string;
  currency: string;
  reason: string;
  eventId: string;
  disputeId?: string;
}

export interface DisputeView {
  disputeId: string;
  repId: string;
  periodKey: string;
  lineId: string;
  comment: string;
  status: 'open' | 'resolved';
  openedBy: string;
  openedAt: string;
  resolution: string | null;
  adjustmentAmount: string | null;
  adjustment: ManualAdjustmentView | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DealView extends DealRecord {
  recordedBy: string | null;
  /** `not_required`: the deal never needed approval (only when read by id). */
  status: 'pending' | 'approved' | 'rejected' | 'not_required';
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export function assertPeriodKey(periodKey: string, path = 'periodKey'): void {
  if (planPeriodOfKey(periodKey) === undefined) {
    throw CommissionError.validation([
      {
        path,
        message:
          'is not a plan period key (a month "2026-11", a fiscal quarter "FY2027-Q1" or a fiscal year "FY2027")',
      },
    ]);
  }
}

/** A cursor this service issued, one part per check (a forged one is a 400, never a SQL error). */
export function decodeCursor(cursor: string, checks: readonly ((v: string) => boolean)[]): string[] {
  const parts = decodeKeysetCursor(cursor, checks);
  if (parts === undefined)
    throw CommissionError.validation([{ path: 'cursor', message: 'is not a cursor this service issued' }]);
  return parts;
}

export const isPeriodKeyText = (v: string): boolean => planPeriodOfKey(v) !== undefined;

export const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: string): boolean => UUID_TEXT.test(v);

// Postgres's own text of a timestamptz (`2026-01-15 10:00:00.123456+00`).
export const isTimestampText = (v: string): boolean =>
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(v);

export const isInstantText = (v: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
