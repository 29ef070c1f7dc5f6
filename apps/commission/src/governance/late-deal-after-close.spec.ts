import { deal, statementInput } from '../../test/calculation-fixtures';
import { CLOSED, ClosingLedger, OPEN, sum } from '../../test/governance-fixtures';
import { computeStatement } from '../calculation/statement-calculator';

describe('a late deal after the period closed', () => {
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const d2 = deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });
  const late = deal('D3', '40000.00', { occurredAt: '2026-01-20T10:00:00Z' });

  it('is booked in the open period as prior-period adjustments summing to the change of the closed statement', () => {
    const ledger = new ClosingLedger();
    ledger.recalculate(computeStatement(statementInput([d1, d2])));
    expect(ledger.frozenTotal).toBe('6800.00');
    ledger.closed = true;

    // D3 sorts between D1 and D2: it takes the band D2 had, and D2 moves up a band.
    const restated = computeStatement(statementInput([d1, late, d2]));
    const booked = ledger.recalculate(restated);
    expect(booked.map((p) => [p.lineId, p.appliesTo, p.amount, p.reason])).toEqual([
      ['ppa:FY2026-Q1:deal:D3', 'deal:D3', '2000.00', 'late_deal'],
      ['ppa:FY2026-Q1:deal:D2#1', 'deal:D2', '1200.00', 'recalculated'],
    ]);
    for (const p of booked) {
      expect(p).toMatchObject({
        type: 'pacer.commission.prior_period_adjusted.v1',
        kind: 'prior_period_adjustment',
        closedPeriodKey: CLOSED,
      });
      expect(p.note).toContain(`For closed period ${CLOSED} (booked in ${OPEN})`);
    }
    expect(booked[0]?.sourceEventIds).toEqual(['won-D3']);
    // Exactly what recalculating the closed statement would have changed, and the statement is frozen.
    expect(sum(booked)).toBe('3200.00');
    expect(restated.total).toBe('10000.00');
    expect(ledger.frozenTotal).toBe('6800.00');
    // The same facts again book nothing more.
    expect(ledger.recalculate(restated)).toEqual([]);
  });
});
