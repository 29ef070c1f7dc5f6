import { deal, statementInput } from '../../test/calculation-fixtures';
import { sum } from '../../test/governance-fixtures';
import { applyPostings, LedgerBalance, planPostings } from '../calculation/ledger-postings';
import { manualAdjustmentPosting } from '../calculation/manual-adjustment';
import { computeStatement } from '../calculation/statement-calculator';

describe('a dispute resolved with and without an adjustment', () => {
  const ctx = {
    currency: 'USD',
    voided: new Map<string, string>(),
    fallbackSourceIds: ['plan-ae-v1'],
    leftReason: 'test',
  };
  const statement = computeStatement(
    statementInput([deal('D1', '10000.00', { occurredAt: '2026-01-10T10:00:00Z' })]),
  );
  const posted = planPostings(statement.lines, new Map<string, LedgerBalance>(), ctx);

  it('without an adjustment changes no line', () => {
    // Resolving without an adjustment posts nothing: the statement keeps its lines and total.
    expect(sum(posted)).toBe('500.00');
  });

  it('with an adjustment adds one manual line citing the dispute, which no recalculation reverses', () => {
    const line = manualAdjustmentPosting({
      adjustmentId: 'adj-1',
      amount: '-120.5',
      currency: 'USD',
      reason: 'Split was 50/50',
      adjustedBy: 'admin-1',
      disputeId: 'dispute-1',
      sources: ['dispute-opened-1'],
    });
    expect(line).toMatchObject({
      lineId: 'manual:adj-1',
      appliesTo: 'manual:adj-1',
      type: 'pacer.commission.manually_adjusted.v1',
      kind: 'manual_adjustment',
      amount: '-120.50',
      disputeId: 'dispute-1',
      sourceEventIds: ['adj-1', 'dispute-opened-1'],
    });
    expect(sum([...posted, line])).toBe('379.50');
    // The calculation's balances never include manual lines, so recomputing the period posts nothing.
    const balances = applyPostings(new Map(), statement.lines, posted);
    expect(planPostings(statement.lines, balances, ctx)).toEqual([]);
  });

  it('booked for a closed period says so in its note', () => {
    const line = manualAdjustmentPosting({
      adjustmentId: 'adj-2',
      amount: '50.00',
      currency: 'USD',
      reason: 'Agreed',
      adjustedBy: 'admin-1',
      closedPeriodKey: 'FY2026-Q1',
      bookedIn: 'FY2026-Q4',
    });
    expect(line.note).toBe('For closed period FY2026-Q1, booked in FY2026-Q4: Agreed');
  });
});
