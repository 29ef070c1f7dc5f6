import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { ClosingLedger } from '../../test/governance-fixtures';
import { computeStatement } from '../calculation/statement-calculator';

describe('a plan change that restates a closed period', () => {
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const d2 = deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });

  it('books the restatement in the open period, citing the new plan version', () => {
    const ledger = new ClosingLedger();
    ledger.recalculate(computeStatement(statementInput([d1, d2])));
    ledger.closed = true;
    const v2 = planVersion(
      {
        tiers: [
          { from: '0', rate: '0.06' },
          { from: '1.00', rate: '0.09' },
        ],
      },
      2,
    );
    const restated = computeStatement(statementInput([d1, d2], { plan: v2 }));
    const booked = ledger.recalculate(restated, new Map(), [v2.eventId]);
    // D1 60,000 at 6% = 3,600 (+600); D2 40,000 at 6% + 10,000 at 9% = 3,300 (+500); SPIFF unchanged.
    expect(booked.map((p) => [p.appliesTo, p.amount])).toEqual([
      ['deal:D1', '600.00'],
      ['deal:D2', '500.00'],
    ]);
    expect(booked.every((p) => p.sourceEventIds[0] === v2.eventId)).toBe(true);
    expect(ledger.bookedTotal).toBe('1100.00');
    expect(restated.total).toBe('7900.00');
    expect(ledger.frozenTotal).toBe('6800.00');
  });
});
