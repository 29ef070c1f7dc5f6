import fc from 'fast-check';
import { formatMoney } from '@pacer/sales-domain';
import { Dec, money } from './decimal';

describe('money formatting of computed amounts', () => {
  it('is formatMoney (half-up to cents), whether given a Dec or a string, and never "-0.00"', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const value = new Dec(units.toString()).dividedBy(10 ** scale);
          const expected = formatMoney(value.toString()) === '-0.00' ? '0.00' : formatMoney(value.toString());
          expect(money(value)).toBe(expected);
          expect(money(value.toString())).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
    expect(money(new Dec('2.345'))).toBe('2.35');
    expect(money(new Dec('-2.345'))).toBe('-2.35');
    expect(money(new Dec('-0.004'))).toBe('0.00');
  });
});
