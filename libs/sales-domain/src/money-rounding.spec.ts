import { formatMoney, moneyPer, ratio } from './money';

describe('money and ratios', () => {
  it('rounds half-up to cents', () => {
    expect(formatMoney('2.345')).toBe('2.35');
    expect(formatMoney('-2.345')).toBe('-2.35');
    expect(formatMoney('10')).toBe('10.00');
  });

  it('returns null for a zero denominator', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
    expect(moneyPer('100.00', 0)).toBeNull();
    expect(moneyPer('100.00', 3)).toBe('33.33');
  });
});
