import { deal, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('a deal in another currency than the plan', () => {
  const statement = computeStatement(
    statementInput([
      deal('USD-1', '10000.00'),
      deal('EUR-1', '50000.00', { currency: 'EUR' }),
      deal('USD-1', '999.00', { activityId: 'again' }),
    ]),
  );

  it('is not credited and is listed as an exception with a clear reason', () => {
    expect(statement.credited).toBe('10000.00');
    expect(statement.lines.map((l) => l.lineId)).toEqual(['deal:USD-1', 'spiff:club']);
    expect(statement.exceptions).toEqual([
      expect.objectContaining({
        dealId: 'EUR-1',
        reason: 'currency_mismatch',
        currency: 'EUR',
        expectedCurrency: 'USD',
        detail: 'The deal is in EUR but the plan governing FY2026-Q1 pays in USD; it is not credited.',
      }),
      expect.objectContaining({ dealId: 'USD-1', activityId: 'again', reason: 'duplicate_deal' }),
    ]);
    expect(statement.notes).toContain('2 deal credit(s) in this period earn nothing; see exceptions.');
  });
});
