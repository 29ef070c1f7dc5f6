import { Dec, money } from '../calculation/decimal';

/** One statement of a period with what its ledger sums to in each currency it holds lines in. */
export interface PayoutStatement {
  repId: string;
  periodKey: string;
  statementId: string;
  statementVersion: number;
  /** The currency the statement pays in (its plan's). */
  currency: string;
  /** Ledger sums by currency (a change of plan currency leaves reversed lines in the old one). */
  sums: ReadonlyMap<string, string>;
}

/** One row of the payroll file and one `pacer.commission.payout.v1`. */
export interface PayoutRow {
  repId: string;
  periodKey: string;
  currency: string;
  total: string;
  statementId: string;
  statementVersion: number;
}

export const PAYOUT_CSV_HEADER = [
  'repId',
  'periodKey',
  'currency',
  'total',
  'statementId',
  'statementVersion',
] as const;

/**
 * What is paid for a statement: one row per currency its ledger holds a non-zero sum in, and always a
 * row in the statement's own currency (a zero statement is paid 0.00, so payroll sees every rep).
 */
export function payoutRowsOf(statement: PayoutStatement): PayoutRow[] {
  const rows: PayoutRow[] = [];
  const currencies = [...statement.sums.keys()].sort();
  if (!statement.sums.has(statement.currency)) currencies.unshift(statement.currency);
  for (const currency of currencies) {
    const total = new Dec(statement.sums.get(currency) ?? '0');
    if (total.isZero() && currency !== statement.currency) continue;
    rows.push({
      repId: statement.repId,
      periodKey: statement.periodKey,
      currency,
      total: money(total),
      statementId: statement.statementId,
      statementVersion: statement.statementVersion,
    });
  }
  return rows;
}
