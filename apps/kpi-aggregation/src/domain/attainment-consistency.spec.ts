import { AttainmentPoint, attainmentConsistency } from './attainment-consistency';

const point = (key: string, quotaAttainment: number): AttainmentPoint => ({
  key,
  start: `${key}-01T00:00:00Z`,
  end: `${key}-28T00:00:00Z`,
  quota: '100000.00',
  revenueWon: (quotaAttainment * 100000).toFixed(2),
  quotaAttainment,
  revision: 1,
});

describe('attainment consistency', () => {
  it('tells a steady rep near 90 % from one swinging between 150 % and 40 % (SPEC §5)', () => {
    const steady = attainmentConsistency([point('2026-07', 0.88), point('2026-08', 0.92), point('2026-09', 0.9), point('2026-10', 0.9)]);
    // mean 0.9; deviations −0.02, 0.02, 0, 0 → variance 0.0002, sd 0.0141421…, cv 0.0157135…
    expect(steady.mean).toBe(0.9);
    expect(steady.standardDeviation).toBeCloseTo(0.014142135623731, 12);
    expect(steady.coefficientOfVariation).toBeCloseTo(0.015713484026368, 12);

    const swinging = attainmentConsistency([point('2026-07', 1.5), point('2026-08', 0.4), point('2026-09', 1.5), point('2026-10', 0.4)]);
    // mean 0.95; every deviation ±0.55 → sd 0.55 (population, not sample: that would be 0.635…), cv 0.578947…
    expect(swinging.mean).toBe(0.95);
    expect(swinging.standardDeviation).toBe(0.55);
    expect(swinging.coefficientOfVariation).toBeCloseTo(0.578947368421053, 12);
  });

  it('has no figures without periods and no coefficient of variation around a mean of 0', () => {
    expect(attainmentConsistency([])).toEqual({ periods: [], mean: null, standardDeviation: null, coefficientOfVariation: null });
    expect(attainmentConsistency([point('2026-07', 0), point('2026-08', 0)])).toMatchObject({ mean: 0, standardDeviation: 0, coefficientOfVariation: null });
    expect(attainmentConsistency([point('2026-07', 1.2)])).toMatchObject({ mean: 1.2, standardDeviation: 0, coefficientOfVariation: 0 });
  });
});
