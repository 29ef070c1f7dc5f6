import { deal, statementInput } from '../../test/calculation-fixtures';
import { ClosingLedger } from '../../test/governance-fixtures';
import { computeStatement } from '../calculation/statement-calculator';

describe('a void after the period closed', () => {
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const d2 = deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });

  it('reverses the voided deal and the SPIFF it carried in the open period, each citing the void', () => {
    const ledger = new ClosingLedger();
    ledger.recalculate(computeStatement(statementInput([d1, d2])));
    ledger.closed = true;
    const booked = ledger.recalculate(computeStatement(statementInput([d1])), new Map([['D2', 'void-D2']]));
    expect(booked.map((p) => [p.appliesTo, p.amount, p.reason])).toEqual([
      ['spiff:club', '-1000.00', 'spiff'],
      ['deal:D2', '-2800.00', 'activity_voided'],
    ]);
    // Lineage of reversals: the SPIFF reversal cites the void that caused it, not only the plan.
    expect(booked[0]?.sourceEventIds).toContain('void-D2');
    expect(booked[1]?.sourceEventIds).toEqual(['void-D2']);
    expect(ledger.bookedTotal).toBe('-3800.00');
    expect(ledger.frozenTotal).toBe('6800.00');
  });

  it('books a cancellation inside the clawback window the same way, as clawback reasons', () => {
    const ledger = new ClosingLedger();
    ledger.recalculate(computeStatement(statementInput([d1, d2])));
    ledger.closed = true;
    const cancelled = {
      ...d2,
      cancellation: { activityId: 'c-D2', eventId: 'cancel-D2', occurredAt: '2026-03-01T10:00:00Z' },
    };
    const booked = ledger.recalculate(computeStatement(statementInput([d1, cancelled])));
    expect(booked.map((p) => [p.appliesTo, p.amount, p.reason])).toEqual([
      ['deal:D2', '-2800.00', 'clawback'],
      ['spiff:club', '-1000.00', 'spiff'],
    ]);
    expect(booked.every((p) => p.sourceEventIds.includes('cancel-D2'))).toBe(true);
  });
});
