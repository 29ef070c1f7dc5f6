import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('attainment exactly on a tier boundary', () => {
  const exactly = [deal('D1', '100000.00', { occurredAt: '2026-01-05T00:00:00Z' })];

  it('graduated: the credit up to the boundary earns the lower band; the next cent earns the higher one', () => {
    const statement = computeStatement(
      statementInput([...exactly, deal('D2', '1.00', { occurredAt: '2026-01-06T00:00:00Z' })]),
    );
    expect(statement.lines.find((l) => l.lineId === 'deal:D1')).toMatchObject({
      amount: '5000.00',
      bands: [{ from: '0', to: '1.00', rate: '0.05', credit: '100000.00' }],
    });
    expect(statement.lines.find((l) => l.lineId === 'deal:D2')).toMatchObject({
      amount: '0.08',
      bands: [{ from: '1.00', to: '1.50', rate: '0.08', credit: '1.00' }],
    });
  });

  it('retroactive: attainment 1.00 is in the band [1.00, 1.50)', () => {
    const statement = computeStatement(
      statementInput(exactly, { plan: planVersion({ tierMode: 'retroactive' }) }),
    );
    expect(statement.attainment).toBe('1');
    expect(statement.lines.find((l) => l.lineId === 'deal:D1')?.amount).toBe('8000.00');
  });

  it('awards a SPIFF whose threshold is reached exactly', () => {
    const statement = computeStatement(statementInput(exactly));
    expect(statement.lines.find((l) => l.kind === 'spiff')).toMatchObject({
      reached: true,
      amount: '1000.00',
      dealId: 'D1',
    });
  });

  it('does not award it one cent short', () => {
    const statement = computeStatement(statementInput([deal('D1', '99999.99')]));
    expect(statement.lines.find((l) => l.kind === 'spiff')).toMatchObject({
      reached: false,
      amount: '0.00',
      metricValue: '0.9999999',
    });
  });
});
