import { formatMetric, isAdditive, KPI_METRIC_NAMES } from './metrics';

describe('metric display', () => {
  it('knows every KPI metric of the contract', () => {
    expect(KPI_METRIC_NAMES).toHaveLength(18);
  });

  it('formats each metric by its kind', () => {
    expect(formatMetric('calls', 1234, 'en', 'USD')).toBe('1,234');
    expect(formatMetric('revenueWon', '20000.00', 'en', 'USD')).toBe('$20,000.00');
    expect(formatMetric('connectRate', 0.25, 'en', 'USD')).toBe('25%');
    expect(formatMetric('winRate', null, 'en', 'USD')).toBe('—');
    expect(formatMetric('avgSalesCycleDays', 12.345, 'en', 'USD')).toBe('12.3');
  });

  it('adds up counts and money, never ratios', () => {
    expect(isAdditive('calls')).toBe(true);
    expect(isAdditive('revenueWon')).toBe(true);
    expect(isAdditive('connectRate')).toBe(false);
  });
});
