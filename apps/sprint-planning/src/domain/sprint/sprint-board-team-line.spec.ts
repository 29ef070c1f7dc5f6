import { KpiMetrics } from '@pacer/contracts';
import { buildSprintBoard } from './sprint-board';
import { SheetRep } from './sprint-sheet';
import { zeroMetrics } from './sprint-metrics';

// Scenario (found on the demo tenant): three of five reps commit 30 calls and $20,000 each; the whole
// team logs 158 calls. The team line must measure the committed reps against their own targets.
describe('sprint board team line', () => {
  it('compares the committed reps’ summed targets with the same reps’ summed actuals', () => {
    const metrics = (m: Partial<KpiMetrics>): KpiMetrics => ({ ...zeroMetrics(), ...m });
    const committed = (repId: string): SheetRep => ({
      repId,
      name: repId,
      role: 'AE',
      hasCommitment: true,
      targets: { calls: 30, revenueWon: '20000.00' },
      committedTargets: { calls: 30, revenueWon: '20000.00' },
    });
    const member = (repId: string): SheetRep => ({
      repId,
      name: repId,
      role: 'AE',
      hasCommitment: false,
      targets: {},
      committedTargets: null,
    });
    const actual = (calls: number, revenueWon: string) => ({ metrics: metrics({ calls, revenueWon }), revision: 1, asOf: '2026-11-25T12:00:00Z' });
    const board = buildSprintBoard({
      sheet: {
        sprintId: 's',
        teamId: 'hunters',
        startDate: '2026-11-22',
        lengthDays: 7,
        goal: '',
        status: 'active',
        reps: [committed('h1'), committed('h2'), committed('h3'), member('h4'), member('h5')],
        items: [],
      },
      version: 4,
      timezone: 'America/New_York',
      window: { start: '2026-11-22T00:00:00-05:00', end: '2026-11-29T00:00:00-05:00' },
      repActuals: new Map([
        ['h1', actual(20, '10000.10')],
        ['h2', actual(25, '0.00')],
        ['h3', actual(30, '15000.25')],
        ['h4', actual(40, '9000.00')],
        ['h5', actual(43, '1000.00')],
      ]),
      teamActuals: { metrics: metrics({ calls: 158, revenueWon: '35000.35' }), revision: 7, asOf: '2026-11-25T12:00:00Z' },
      days: [],
      memberships: [],
      daily: () => undefined,
    });
    expect(board.team.targets).toEqual({ calls: 90, revenueWon: '60000.00' });
    expect(board.team.actuals).toEqual({ calls: 75, revenueWon: '25000.35' });
    expect(board.team.progress).toEqual({ calls: 75 / 90, revenueWon: 0.4166725 });
    expect(board.team.snapshot).toMatchObject({ calls: 158, revenueWon: '35000.35' });
  });
});
