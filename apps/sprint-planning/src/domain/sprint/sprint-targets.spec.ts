import { parseTargets } from './sprint-targets';

// Scenario: a manager types targets; each metric takes its own representation (SPEC §4).
describe('commitment targets', () => {
  it('accepts counts and ratios as numbers and money as decimal strings, money kept to the cent', () => {
    expect(
      parseTargets({ revenueWon: '12500.5', calls: 60, connectRate: 0.25, avgSalesCycleDays: 30.5, avgDealSize: '900' }),
    ).toEqual({
      targets: { revenueWon: '12500.50', calls: 60, connectRate: 0.25, avgSalesCycleDays: 30.5, avgDealSize: '900.00' },
      problems: [],
    });
  });

  it('names every bad target', () => {
    const { problems } = parseTargets({
      bananas: 1,
      calls: 1.5,
      emails: -1,
      pipelineCreated: '10.005',
      winRate: '0.5',
      revenueWon: 20000,
      quota: '1e5',
      meetingsHeld: '3',
    });
    expect(problems.map((p) => p.path)).toEqual([
      'targets.bananas',
      'targets.calls',
      'targets.emails',
      'targets.pipelineCreated',
      'targets.winRate',
      'targets.revenueWon',
      'targets.quota',
      'targets.meetingsHeld',
    ]);
    expect(problems[0]?.message).toContain('not a KPI metric');
    expect(problems[5]?.message).toContain('decimal string');
  });
});
