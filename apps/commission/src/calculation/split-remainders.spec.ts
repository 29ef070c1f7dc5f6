import { deal, statementInput } from '../../test/calculation-fixtures';
import { creditsOfDeal } from './deal-credits';
import { computeStatement } from './statement-calculator';

describe('split credits and their cent remainders', () => {
  it('gives the last credit the remainder so the credits sum to the amount', () => {
    const credits = creditsOfDeal('100.00', 'r1', [
      { repId: 'r1', share: '0.333' },
      { repId: 'r2', share: '0.333' },
      { repId: 'r3', share: '0.334' },
    ]);
    expect(credits.map((c) => c.credit)).toEqual(['33.30', '33.30', '33.40']);
    expect(
      creditsOfDeal('1000.01', 'r1', [
        { repId: 'r1', share: '0.5' },
        { repId: 'r2', share: '0.5' },
      ]).map((c) => c.credit),
    ).toEqual(['500.01', '500.00']);
  });

  it('never leaves a negative credit when every earlier share rounded up', () => {
    const quarters = [1, 2, 3, 4].map((i) => ({ repId: `r${i}`, share: '0.25' }));
    expect(creditsOfDeal('0.02', 'r1', quarters).map((c) => c.credit)).toEqual([
      '0.01',
      '0.01',
      '0.00',
      '0.00',
    ]);
  });

  it('credits a secondary rep with its share and counts the deal as won only for the primary rep', () => {
    const [, second] = creditsOfDeal('150000.00', 'r2', [
      { repId: 'r2', share: '0.6' },
      { repId: 'r1', share: '0.4' },
    ]);
    const statement = computeStatement(
      statementInput(
        [deal('S1', second?.credit ?? '', { share: '0.4', amount: '150000.00', primaryRepId: 'r2' })],
        {
          quota: null,
        },
      ),
    );
    expect(statement.lines[0]).toMatchObject({
      credit: '60000.00',
      share: '0.4',
      dealAmount: '150000.00',
      amount: '3000.00',
    });
  });
});
