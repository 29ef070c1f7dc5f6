import { isDecimalString, isMoney, isNonZeroSignedMoney, isPositiveMoney, isShare, normaliseMoney } from './input-money';

describe('money is a decimal string with at most 2 fraction digits and 15 integer digits', () => {
  it.each(['0', '0.5', '1250.00', '999999999999999.99'])('accepts %s', (v) => expect(isMoney(v)).toBe(true));
  it.each(['01', '1.234', '-1', '1e3', '1000000000000000', 12.5, ''])('rejects %s', (v) => expect(isMoney(v)).toBe(false));

  it('positive money excludes zero; shares are in (0, 1]; decimals are bounded', () => {
    expect(isPositiveMoney('0.00')).toBe(false);
    expect(isPositiveMoney('0.01')).toBe(true);
    expect(isShare('0')).toBe(false);
    expect(isShare('1.00')).toBe(true);
    expect(isDecimalString('0.'.padEnd(41, '1'))).toBe(false);
    expect(normaliseMoney('12.5')).toBe('12.50');
  });
});

describe('an adjustment amount is non-zero money that may be negative', () => {
  it.each(['-150.00', '150', '0.01', '-0.01'])('accepts %s', (v) => expect(isNonZeroSignedMoney(v)).toBe(true));
  it.each(['0', '-0.00', '--1', '-01', '+5', '-1.234', 5, ''])('rejects %s', (v) =>
    expect(isNonZeroSignedMoney(v)).toBe(false),
  );
});
