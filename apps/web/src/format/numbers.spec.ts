import { formatCount, formatNumber, formatPercent } from './numbers';

const plain = (s: string) => s.replace(/\s/g, ' ');

describe('numbers', () => {
  it('formats counts with the locale grouping', () => {
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(plain(formatCount(12345, 'nb'))).toBe('12 345');
  });

  it('formats ratios as percent, strings from the commission API too', () => {
    expect(formatPercent(0.4567, 'en')).toBe('45.7%');
    expect(plain(formatPercent('1.5', 'nb'))).toBe('150 %');
  });

  it('reads a null ratio (zero denominator) as a dash', () => {
    expect(formatPercent(null, 'en')).toBe('—');
    expect(formatNumber(null, 'en')).toBe('—');
  });
});
