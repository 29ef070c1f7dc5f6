import { KpiMetrics } from '@pacer/contracts';
import { buildSprintBoard } from './sprint-board';
import { zeroMetrics } from './sprint-metrics';

// Scenario: a running sprint's board with one snapshot in; progress is actual / target per target.
describe('sprint board progress', () => {
  it('computes progress per target, null for a zero target or a missing ratio, with team totals', () => {
    const metrics = (m: Partial<KpiMetrics>): KpiMetrics => ({ ...zeroMetrics(), ...m });
    const board = buildSprintBoard({
      sheet: {
        sprintId: 's',
        teamId: 't',
        startDate: '2026-11-23',
        lengthDays: 7,
        goal: '',
        status: 'active',
        reps: [
          {
            repId: 'ana',
            name: 'Ana',
            role: 'AE',
            hasCommitment: true,
            targets: { calls: 8, emails: 0, pipelineCreated: '2000.00', winRate: 0.5 },
            committedTargets: { calls: 8 },
          },
          {
            repId: 'bo',
            name: 'Bo',
            role: 'AE',
            hasCommitment: true,
            targets: { calls: 2 },
            committedTargets: { calls: 2 },
          },
        ],
        items: [
          {
            itemId: 'i',
            repId: 'ana',
            title: 'I',
            status: 'done',
            inSnapshot: true,
            addedAfterStart: false,
            removed: false,
          },
          {
            itemId: 'j',
            repId: 'bo',
            title: 'J',
            status: 'todo',
            inSnapshot: false,
            addedAfterStart: true,
            removed: false,
          },
        ],
      },
      version: 9,
      timezone: 'UTC',
      window: { start: '2026-11-23T00:00:00Z', end: '2026-11-30T00:00:00Z' },
      repActuals: new Map([
        [
          'ana',
          {
            metrics: metrics({ calls: 6, emails: 3, pipelineCreated: '500.00' }),
            revision: 2,
            asOf: '2026-11-24T00:00:00Z',
          },
        ],
      ]),
      teamActuals: { metrics: metrics({ calls: 6 }), revision: 1, asOf: '2026-11-24T00:00:00Z' },
      days: [],
      memberships: [],
      daily: () => undefined,
    });
    expect(board.reps[0]?.progress).toEqual({
      calls: 0.75,
      emails: null,
      pipelineCreated: 0.25,
      winRate: null,
    });
    expect(board.reps[1]).toMatchObject({
      actuals: zeroMetrics(),
      actualsRevision: null,
      progress: { calls: 0 },
      itemsTotal: 1,
      itemsDone: 0,
    });
    expect(board.team).toMatchObject({
      targets: { calls: 10, emails: 0, pipelineCreated: '2000.00', winRate: 0.5 },
      actuals: { calls: 6, emails: 3, pipelineCreated: '500.00', winRate: null },
      progress: { calls: 0.6, emails: null, pipelineCreated: 0.25, winRate: null },
      snapshotRevision: 1,
      itemsTotal: 2,
      itemsDone: 1,
    });
  });
});
