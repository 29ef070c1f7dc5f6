import { formatMoney, isIsoCurrency, moneyPer, ratio } from './money';

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

  it('knows ISO 4217 currencies, and that XXX and XTS are not money', () => {
    expect(['USD', 'EUR', 'JPY'].every(isIsoCurrency)).toBe(true);
    expect(['ABC', 'usd', 'XXX', 'XTS', 42].some(isIsoCurrency)).toBe(false);
  });
});
