import { payoutRowsOf, PAYOUT_CSV_HEADER } from './payout-file';

describe('a payout file that matches the approved statements', () => {
  const statement = (repId: string, sums: [string, string][], currency = 'USD', version = 3) => ({
    repId,
    periodKey: 'FY2026-Q1',
    statementId: `${repId}/FY2026-Q1`,
    statementVersion: version,
    currency,
    sums: new Map(sums),
  });

  it('has one row per rep in the statement currency with the statement total and version', () => {
    expect(PAYOUT_CSV_HEADER.join(',')).toBe('repId,periodKey,currency,total,statementId,statementVersion');
    expect(payoutRowsOf(statement('r1', [['USD', '7600']]))).toEqual([
      {
        repId: 'r1',
        periodKey: 'FY2026-Q1',
        currency: 'USD',
        total: '7600.00',
        statementId: 'r1/FY2026-Q1',
        statementVersion: 3,
      },
    ]);
  });

  it('pays a zero statement 0.00 so payroll sees every rep, and keeps a negative total negative', () => {
    expect(payoutRowsOf(statement('r2', [])).map((r) => r.total)).toEqual(['0.00']);
    expect(payoutRowsOf(statement('r3', [['USD', '-250.5']])).map((r) => r.total)).toEqual(['-250.50']);
  });

  it('has a row per currency the ledger still holds money in after a plan currency change', () => {
    const rows = payoutRowsOf(
      statement(
        'r4',
        [
          ['EUR', '900.00'],
          ['USD', '0'],
          ['GBP', '0.00'],
        ],
        'EUR',
      ),
    );
    expect(rows.map((r) => [r.currency, r.total])).toEqual([['EUR', '900.00']]);
    const both = payoutRowsOf(
      statement(
        'r5',
        [
          ['EUR', '900.00'],
          ['USD', '15.00'],
        ],
        'EUR',
      ),
    );
    expect(both.map((r) => [r.currency, r.total])).toEqual([
      ['EUR', '900.00'],
      ['USD', '15.00'],
    ]);
  });
});
