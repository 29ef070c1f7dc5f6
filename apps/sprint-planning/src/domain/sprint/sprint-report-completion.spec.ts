import { KpiMetrics } from '@pacer/contracts';
import { zeroMetrics } from './sprint-metrics';
import { buildSprintReport, completionRatio, reportPublishedData, teamLine } from './sprint-report';
import { SprintSheet } from './sprint-sheet';

// Scenario: a week where Ana beats her revenue target and misses calls, Bo planned nothing, and the
// team closes with one item carried over.
describe('sprint report and completion ratio', () => {
  const metrics = (m: Partial<KpiMetrics>): KpiMetrics => ({ ...zeroMetrics(), ...m });
  const sheet: SprintSheet = {
    sprintId: 's',
    teamId: 't',
    startDate: '2026-11-23',
    lengthDays: 7,
    goal: 'close Q4',
    status: 'closed',
    reps: [
      {
        repId: 'ana',
        name: 'Ana',
        role: 'AE',
        hasCommitment: true,
        targets: { calls: 50, revenueWon: '1000.00', winRate: 0.4 },
        committedTargets: { calls: 40, revenueWon: '1000.00', winRate: 0.5 },
      },
      { repId: 'bo', name: 'Bo', role: 'AE', hasCommitment: false, targets: {}, committedTargets: null },
      {
        repId: 'cy',
        name: 'Cy',
        role: 'AE',
        hasCommitment: true,
        targets: { calls: 10, winRate: 0.3 },
        committedTargets: { calls: 10, winRate: 0.3 },
      },
    ],
    items: [
      {
        itemId: 'a',
        repId: 'ana',
        title: 'A',
        status: 'done',
        inSnapshot: true,
        addedAfterStart: false,
        removed: false,
      },
      {
        itemId: 'b',
        repId: 'ana',
        title: 'B',
        status: 'doing',
        inSnapshot: false,
        addedAfterStart: true,
        removed: false,
        carriedTo: 'next',
      },
      {
        itemId: 'c',
        repId: 'ana',
        title: 'C',
        status: 'todo',
        inSnapshot: true,
        addedAfterStart: false,
        removed: true,
      },
    ],
  };

  it('is the mean of min(1, actual/planned) over targets planned above zero, null when nothing was planned', () => {
    expect(completionRatio([])).toBeNull();
    expect(completionRatio([{ metric: 'calls', planned: 0, actual: 5, ratio: null }])).toBeNull();
    expect(
      completionRatio([
        { metric: 'calls', planned: 40, actual: 20, ratio: 0.5 },
        { metric: 'revenueWon', planned: '1000.00', actual: '1500.00', ratio: 1.5 },
        { metric: 'winRate', planned: 0.5, actual: null, ratio: null },
      ]),
    ).toBeCloseTo((0.5 + 1 + 0) / 3, 12);
  });

  it('sums additive team targets and averages ratio targets, over the reps that set one', () => {
    const line = teamLine([
      { targets: { calls: 40, winRate: 0.5 }, actuals: metrics({ calls: 30, winRate: 0.2 }) },
      { targets: {}, actuals: metrics({ calls: 100, winRate: 1 }) },
      { targets: { calls: 10, winRate: 0.3 }, actuals: metrics({ calls: 5, winRate: 0.4 }) },
    ]);
    expect(line.targets).toEqual({ calls: 50, winRate: 0.4 });
    expect(line.actuals).toEqual({ calls: 35, winRate: 0.3 });
  });

  it('compares the targets committed at start with the actuals at close', () => {
    const report = buildSprintReport({
      sheet,
      closedAt: '2026-11-30T08:00:00.000Z',
      carriedOverTo: 'next',
      repActuals: new Map([
        [
          'ana',
          {
            metrics: metrics({ calls: 20, revenueWon: '1500.00', winRate: 0.5 }),
            revision: 3,
            asOf: '2026-11-29T10:00:00Z',
          },
        ],
      ]),
    });
    const [ana, bo, cy] = report.reps;
    expect(ana).toMatchObject({
      targets: [
        { metric: 'calls', planned: 40, actual: 20, ratio: 0.5 },
        { metric: 'revenueWon', planned: '1000.00', actual: '1500.00', ratio: 1.5 },
        { metric: 'winRate', planned: 0.5, actual: 0.5, ratio: 1 },
      ],
      completionRatio: (0.5 + 1 + 1) / 3,
      finalTargets: { calls: 50, revenueWon: '1000.00', winRate: 0.4 },
      itemsTotal: 2,
      itemsDone: 1,
      itemsCarriedOver: 1,
      itemsAddedAfterStart: 1,
      itemsRemovedAfterStart: 1,
    });
    expect(bo).toMatchObject({ targets: [], completionRatio: null, itemsTotal: 0 });
    // no snapshot for Cy: zero calls, no win rate
    expect(cy?.targets).toEqual([
      { metric: 'calls', planned: 10, actual: 0, ratio: 0 },
      { metric: 'winRate', planned: 0.3, actual: null, ratio: null },
    ]);
    // The team line: the committed reps (Ana, Cy) on both sides; Cy has no win rate yet.
    expect(report.team.targets).toEqual([
      { metric: 'calls', planned: 50, actual: 20, ratio: 0.4 },
      { metric: 'revenueWon', planned: '1000.00', actual: '1500.00', ratio: 1.5 },
      { metric: 'winRate', planned: 0.4, actual: 0.5, ratio: 1.25 },
    ]);
    expect(report.actualsAsOf).toBe('2026-11-29T10:00:00Z');
    const published = reportPublishedData(report);
    expect(published.reps[0]).toEqual({
      repId: 'ana',
      // The v1 event keeps numbers for money.
      targets: [
        { metric: 'calls', planned: 40, actual: 20, ratio: 0.5 },
        { metric: 'revenueWon', planned: 1000, actual: 1500, ratio: 1.5 },
        { metric: 'winRate', planned: 0.5, actual: 0.5, ratio: 1 },
      ],
      completionRatio: ana?.completionRatio,
      itemsTotal: 2,
      itemsDone: 1,
      itemsCarriedOver: 1,
    });
  });
});
