import { formatMoney, isMoneyInput, sumMoney } from './money';

const plain = (s: string) => s.replace(/\s/g, ' ');

describe('money', () => {
  it('formats a decimal string with its currency in English and Norwegian', () => {
    expect(formatMoney('1250.00', 'USD', 'en')).toBe('$1,250.00');
    expect(plain(formatMoney('1250.5', 'NOK', 'nb'))).toBe('1 250,50 kr');
  });

  it('keeps every digit of an amount a float could not hold', () => {
    expect(formatMoney('90071992547409.93', 'USD', 'en')).toBe('$90,071,992,547,409.93');
  });

  it('shows a dash for a missing amount', () => {
    expect(formatMoney(null, 'USD', 'en')).toBe('—');
  });

  it('sums decimal strings exactly', () => {
    expect(sumMoney(['0.10', '0.20', null, '1000000000000.01'])).toBe('1000000000000.31');
  });

  it('accepts only money the services accept', () => {
    expect(isMoneyInput('1250.00')).toBe(true);
    expect(isMoneyInput('12.345')).toBe(false);
    expect(isMoneyInput('-1')).toBe(false);
  });
});
