import { parseTargets } from './sprint-targets';

// Scenario: a manager types targets; only KPI metric names with sensible numbers pass.
describe('commitment targets', () => {
  it('accepts KPI metrics with counts whole, money to the cent and ratios as fractions', () => {
    expect(
      parseTargets({ revenueWon: 12500.5, calls: 60, connectRate: 0.25, avgSalesCycleDays: 30.5 }),
    ).toEqual({
      targets: { revenueWon: 12500.5, calls: 60, connectRate: 0.25, avgSalesCycleDays: 30.5 },
      problems: [],
    });
  });

  it('names every bad target', () => {
    const { problems } = parseTargets({
      bananas: 1,
      calls: 1.5,
      emails: -1,
      pipelineCreated: 10.005,
      winRate: '0.5',
    });
    expect(problems.map((p) => p.path)).toEqual([
      'targets.bananas',
      'targets.calls',
      'targets.emails',
      'targets.pipelineCreated',
      'targets.winRate',
    ]);
    expect(problems[0]?.message).toContain('not a KPI metric');
  });
});
