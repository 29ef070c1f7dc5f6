import { deal, statementInput } from '../../test/calculation-fixtures';
import { ClosingLedger } from '../../test/governance-fixtures';
import { computeStatement } from '../calculation/statement-calculator';

describe('a deal that required approval, approved after its period closed', () => {
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const pending = deal('P1', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });

  it('paid nothing while pending and pays, with the SPIFF it reaches, as prior-period adjustments once approved', () => {
    const ledger = new ClosingLedger();
    // A held deal is not among the statement's facts.
    ledger.recalculate(computeStatement(statementInput([d1])));
    expect(ledger.frozenTotal).toBe('3000.00');
    ledger.closed = true;
    const booked = ledger.recalculate(computeStatement(statementInput([d1, pending])), new Map(), [
      'approval-P1',
    ]);
    expect(booked.map((p) => [p.appliesTo, p.amount, p.reason])).toEqual([
      ['deal:P1', '2800.00', 'late_deal'],
      ['spiff:club', '1000.00', 'spiff'],
    ]);
    expect(booked[0]?.sourceEventIds).toEqual(['approval-P1', 'won-P1']);
    expect(ledger.bookedTotal).toBe('3800.00');
    expect(ledger.frozenTotal).toBe('3000.00');
  });
});
