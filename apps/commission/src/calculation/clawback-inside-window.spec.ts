import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { applyPostings, ledgerTotal, LedgerBalance, planPostings } from './ledger-postings';
import { computeStatement } from './statement-calculator';

describe('a deal cancelled within the clawback window', () => {
  const ctx = {
    currency: 'USD',
    voided: new Map<string, string>(),
    fallbackSourceIds: ['plan-ae-v1'],
    leftReason: 'test',
  };
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const d2 = deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });
  const d3 = deal('D3', '50000.00', { occurredAt: '2026-03-10T10:00:00Z' });
  const cancelledD2 = {
    ...d2,
    cancellation: { activityId: 'c-D2', eventId: 'cancel-D2', occurredAt: '2026-05-11T10:00:00Z' },
  };

  const before = computeStatement(statementInput([d1, d2, d3]));
  const ledger = applyPostings(
    new Map<string, LedgerBalance>(),
    before.lines,
    planPostings(before.lines, new Map(), ctx),
  );
  const after = computeStatement(statementInput([d1, cancelledD2, d3]));
  const clawback = planPostings(after.lines, ledger, ctx);

  it('removes the credit from the period and recalculates it (90 days: 10 Feb → 11 May is inside)', () => {
    expect(after.credited).toBe('110000.00');
    expect(after.lines.find((l) => l.lineId === 'deal:D2')).toMatchObject({
      status: 'clawed_back',
      amount: '0.00',
    });
    expect(after.lines.find((l) => l.lineId === 'deal:D3')?.amount).toBe('2800.00');
    expect(after.total).toBe('6800.00');
  });

  it('posts the difference as clawback lines, with the cancellation in their lineage', () => {
    expect(clawback.map((p) => [p.lineId, p.type, p.amount, p.dealId])).toEqual([
      ['deal:D2#1', 'pacer.commission.clawed_back.v1', '-2800.00', 'D2'],
      ['deal:D3#1', 'pacer.commission.clawed_back.v1', '-1400.00', 'D3'],
    ]);
    expect(clawback[0]?.sourceEventIds).toEqual(['won-D2', 'cancel-D2']);
    expect(clawback[1]?.sourceEventIds).toContain('cancel-D2');
    expect(clawback[1]?.note).toMatch(
      /^Recalculated after D2 was cancelled within the clawback window; now: /,
    );
    expect(ledgerTotal(ledger, clawback).toFixed(2)).toBe('6800.00');
  });

  it('takes back the retroactive adjustments the cancelled deal had earned for earlier deals', () => {
    const plan = planVersion({ tierMode: 'retroactive' });
    const cancelledD3 = {
      ...d3,
      cancellation: { activityId: 'c-D3', eventId: 'cancel-D3', occurredAt: '2026-03-20T10:00:00Z' },
    };
    const full = computeStatement(statementInput([d1, d2, d3], { plan }));
    expect(full.total).toBe('17000.00');
    const held = applyPostings(
      new Map<string, LedgerBalance>(),
      full.lines,
      planPostings(full.lines, new Map(), ctx),
    );
    const cut = computeStatement(statementInput([d1, d2, cancelledD3], { plan }));
    const postings = planPostings(cut.lines, held, ctx);
    expect(postings.map((p) => [p.lineId, p.type, p.amount])).toEqual([
      ['retro:D1#1', 'pacer.commission.clawed_back.v1', '-1200.00'],
      ['deal:D3#1', 'pacer.commission.clawed_back.v1', '-5000.00'],
      ['retro:D2#1', 'pacer.commission.clawed_back.v1', '-1000.00'],
    ]);
    expect(cut.total).toBe('9800.00');
    expect(ledgerTotal(held, postings).toFixed(2)).toBe('9800.00');
  });
});
