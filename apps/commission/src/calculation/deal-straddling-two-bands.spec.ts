import { deal, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('a deal straddling two band boundaries (graduated)', () => {
  it('splits one deal across three bands, each part at its own rate', () => {
    const statement = computeStatement(
      statementInput([
        deal('D0', '90000.00', { occurredAt: '2026-01-05T00:00:00Z' }),
        deal('BIG', '70000.00', { occurredAt: '2026-02-01T00:00:00Z' }),
      ]),
    );
    const big = statement.lines.find((l) => l.lineId === 'deal:BIG');
    // cumulative 90,000 → 160,000 crosses 100,000 (100%) and 150,000 (150%).
    expect(big?.bands).toEqual([
      { from: '0', to: '1.00', rate: '0.05', credit: '10000.00' },
      { from: '1.00', to: '1.50', rate: '0.08', credit: '50000.00' },
      { from: '1.50', to: null, rate: '0.10', credit: '10000.00' },
    ]);
    expect(big?.amount).toBe('5500.00'); // 500 + 4,000 + 1,000
    expect(big?.note).toBe('10000.00 at 5% + 50000.00 at 8% + 10000.00 at 10%');
  });

  it('rounds the exact commission of the deal once, half-up to cents', () => {
    const statement = computeStatement(
      statementInput(
        [
          deal('A', '99999.99', { occurredAt: '2026-01-05T00:00:00Z' }),
          deal('B', '0.15', { occurredAt: '2026-01-06T00:00:00Z' }),
        ],
        {
          quota: '100000.00',
        },
      ),
    );
    // B: 0.01 at 5% + 0.14 at 8% = 0.0005 + 0.0112 = 0.0117 → 0.01
    expect(statement.lines.find((l) => l.lineId === 'deal:B')?.amount).toBe('0.01');
  });
});
