import { AE_2026, amounts, deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('SPEC §6 worked example, graduated', () => {
  const statement = computeStatement(
    statementInput(
      [
        deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' }),
        deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' }),
        deal('D3', '50000.00', { occurredAt: '2026-03-10T10:00:00Z' }),
      ],
      { plan: planVersion({ ...AE_2026, tierMode: 'graduated' }) },
    ),
  );

  it('pays D1 3,000.00, D2 2,800.00, D3 4,200.00 and the SPIFF at D2: 11,000.00', () => {
    expect(statement.lines.map((l) => [l.lineId, l.amount])).toEqual([
      ['deal:D1', '3000.00'],
      ['deal:D2', '2800.00'],
      ['spiff:club', '1000.00'],
      ['deal:D3', '4200.00'],
    ]);
    expect(statement.total).toBe('11000.00');
    expect(statement.credited).toBe('160000.00');
    expect(statement.attainment).toBe('1.6');
  });

  it('lists the bands and rates each part of a deal earned', () => {
    const d2 = statement.lines.find((l) => l.lineId === 'deal:D2');
    expect(d2?.bands).toEqual([
      { from: '0', to: '1.00', rate: '0.05', credit: '40000.00' },
      { from: '1.00', to: '1.50', rate: '0.08', credit: '10000.00' },
    ]);
    expect(d2?.note).toBe('40000.00 at 5% + 10000.00 at 8%');
    expect(d2?.sourceEventIds).toEqual(['won-D2']);
    const d3 = statement.lines.find((l) => l.lineId === 'deal:D3');
    expect(d3?.bands?.map((b) => [b.rate, b.credit])).toEqual([
      ['0.08', '40000.00'],
      ['0.10', '10000.00'],
    ]);
  });

  it('credits the SPIFF to the deal that reached the threshold, with the quota in its lineage', () => {
    const spiff = statement.lines.find((l) => l.kind === 'spiff');
    expect(spiff).toMatchObject({ dealId: 'D2', reached: true, metricValue: '1.1' });
    expect(spiff?.sourceEventIds).toEqual(['won-D2', 'quota-r1-FY2026-Q1']);
  });

  it('does not depend on the order the deals are given in', () => {
    const shuffled = computeStatement(
      statementInput([
        deal('D3', '50000.00', { occurredAt: '2026-03-10T10:00:00Z' }),
        deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' }),
        deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' }),
      ]),
    );
    expect(amounts(shuffled.lines)).toEqual(amounts(statement.lines));
  });
});
