import { amounts, deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('SPEC §6 worked example, retroactive', () => {
  const statement = computeStatement(
    statementInput(
      [
        deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' }),
        deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' }),
        deal('D3', '50000.00', { occurredAt: '2026-03-10T10:00:00Z' }),
      ],
      { plan: planVersion({ tierMode: 'retroactive' }) },
    ),
  );

  it('pays 160,000 × 10% = 16,000.00 plus the SPIFF: 17,000.00', () => {
    expect(statement.total).toBe('17000.00');
    const byDeal = new Map<string, number>();
    for (const l of statement.lines) {
      if (l.dealId !== undefined && l.kind !== 'spiff')
        byDeal.set(l.dealId, (byDeal.get(l.dealId) ?? 0) + Number(l.amount));
    }
    expect(Object.fromEntries(byDeal)).toEqual({ D1: 6000, D2: 5000, D3: 5000 });
  });

  it('explains the history: each deal at the band reached with it, then adjustments when the top band is reached', () => {
    expect(amounts(statement.lines)).toEqual({
      'deal:D1': '3000.00',
      'deal:D2': '4000.00',
      'spiff:club': '1000.00',
      'deal:D3': '5000.00',
      'retro:D1': '3000.00',
      'retro:D2': '1000.00',
    });
    expect(statement.lines.map((l) => l.lineId)).toEqual([
      'deal:D1',
      'deal:D2',
      'spiff:club',
      'deal:D3',
      'retro:D1',
      'retro:D2',
    ]);
    const retro = statement.lines.find((l) => l.lineId === 'retro:D1');
    expect(retro).toMatchObject({
      kind: 'retroactive_adjustment',
      fromRate: '0.05',
      toRate: '0.10',
      reachedAtDealId: 'D3',
      sourceEventIds: ['won-D1', 'won-D3'],
    });
  });
});
