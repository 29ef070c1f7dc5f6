import { deal, statementInput } from '../../test/calculation-fixtures';
import { applyPostings, ledgerTotal, LedgerBalance, planPostings } from './ledger-postings';
import { computeStatement } from './statement-calculator';

describe('a SPIFF awarded and then reversed', () => {
  const ctx = {
    currency: 'USD',
    voided: new Map<string, string>(),
    fallbackSourceIds: ['plan-ae-v1'],
    leftReason: 'test',
  };
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const d2 = deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });

  it('awards once when attainment reaches the threshold and reverses when a clawback takes it back below', () => {
    let ledger = new Map<string, LedgerBalance>();
    const first = computeStatement(statementInput([d1, d2]));
    const awarded = planPostings(first.lines, ledger, ctx);
    expect(awarded.filter((p) => p.kind === 'spiff')).toEqual([
      expect.objectContaining({
        lineId: 'spiff:club',
        type: 'pacer.commission.spiff_awarded.v1',
        amount: '1000.00',
        spiffId: 'club',
      }),
    ]);
    ledger = applyPostings(ledger, first.lines, awarded);

    // Recomputing the same facts awards nothing more: once per period.
    expect(planPostings(first.lines, ledger, ctx)).toEqual([]);

    const cancelled = {
      ...d2,
      cancellation: { activityId: 'c-D2', eventId: 'cancel-D2', occurredAt: '2026-02-20T10:00:00Z' },
    };
    const after = computeStatement(statementInput([d1, cancelled]));
    const reversal = planPostings(after.lines, ledger, ctx);
    expect(reversal.filter((p) => p.kind === 'spiff')).toEqual([
      expect.objectContaining({
        lineId: 'spiff:club#1',
        type: 'pacer.commission.spiff_awarded.v1',
        amount: '-1000.00',
      }),
    ]);
    expect(after.lines.find((l) => l.kind === 'spiff')?.note).toContain('below the threshold 1.00');
    expect(ledgerTotal(ledger, reversal).toFixed(2)).toBe(after.total);
  });
});
