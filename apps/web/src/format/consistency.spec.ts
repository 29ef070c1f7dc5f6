import { attainmentScale, byConsistency, steadiness } from './consistency';

describe('attainment consistency reading', () => {
  it('calls the demo reps what they are: 90 % ± 2 steady, 150 %/40 % swinging', () => {
    // h1's and h2's figures as the consistency endpoint computes them (population SD / mean).
    expect(steadiness(0.0137, 6)).toBe('steady');
    expect(steadiness(0.5789, 6)).toBe('swinging');
    expect(steadiness(0.2, 6)).toBe('variable');
  });

  it('does not judge without a mean or with too little history', () => {
    expect(steadiness(null, 6)).toBe('unknown');
    expect(steadiness(0.01, 2)).toBe('unknown');
  });

  it('orders by coefficient of variation either way, reps without one last, ties by name', () => {
    const rows = [
      { repId: 'a', name: 'Zed', coefficientOfVariation: 0.5 },
      { repId: 'b', name: null, coefficientOfVariation: null },
      { repId: 'c', name: 'Ada', coefficientOfVariation: 0.1 },
      { repId: 'd', name: 'Bea', coefficientOfVariation: 0.1 },
    ];
    expect(byConsistency(rows, 'steadyFirst').map((r) => r.repId)).toEqual(['c', 'd', 'a', 'b']);
    expect(byConsistency(rows, 'swingingFirst').map((r) => r.repId)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('scales bars to 150 % or the highest attainment', () => {
    expect(attainmentScale([0.9, 1.1])).toBe(1.5);
    expect(attainmentScale([0.4, 2.2])).toBe(2.2);
    expect(attainmentScale([])).toBe(1.5);
  });
});
