import { formatMetric, isAdditive, KPI_METRIC_NAMES } from './metrics';

describe('metric display', () => {
  it('knows every KPI metric of the contract', () => {
    expect(KPI_METRIC_NAMES).toHaveLength(22);
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
    // Money, but a ratio or the state of open deals now: summing days would be wrong.
    expect(isAdditive('revenuePerActivity')).toBe(false);
    expect(isAdditive('forecastPipeline')).toBe(false);
    expect(isAdditive('forecastWeighted')).toBe(false);
  });

  it('shows the forecast and volume/value metrics as money and coverage as a percentage', () => {
    expect(formatMetric('forecastWeighted', '12500.50', 'en', 'USD')).toBe('$12,500.50');
    expect(formatMetric('revenuePerActivity', null, 'en', 'USD')).toBe('—');
    expect(formatMetric('forecastCoverage', 1.25, 'en', 'USD')).toBe('125%');
  });
});
