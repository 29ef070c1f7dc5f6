import { parse } from 'csv-parse/sync';
import { csvToString } from '@pacer/http';
import { RepReport, SprintReport } from '../domain/sprint/sprint-report';
import { SPRINT_REPORT_CSV_COLUMNS, sprintReportCsvRows } from './sprint-report-csv';

// Scenario: a closed sprint where one rep committed calls and revenue, one committed nothing (and
// carries a hostile name), and revenue came out negative after a cancellation.
describe('sprint report CSV rows', () => {
  const rep = (over: Partial<RepReport>): RepReport => ({
    repId: 'ana',
    name: 'Ana',
    role: 'AE',
    targets: [],
    completionRatio: null,
    itemsTotal: 0,
    itemsDone: 0,
    itemsCarriedOver: 0,
    finalTargets: {},
    itemsAddedAfterStart: 0,
    itemsRemovedAfterStart: 0,
    items: [],
    ...over,
  });
  const report: SprintReport = {
    sprintId: 's1',
    teamId: 'alpha',
    startDate: '2026-11-23',
    lengthDays: 7,
    goal: 'g',
    closedAt: '2026-11-30T00:00:00.000Z',
    carriedOverTo: 's2',
    actualsAsOf: null,
    reps: [
      rep({
        targets: [
          { metric: 'calls', planned: 10, actual: 5, ratio: 0.5 },
          { metric: 'revenueWon', planned: '1000.00', actual: '-250.00', ratio: -0.25 },
        ],
        completionRatio: 0.25,
        itemsTotal: 3,
        itemsDone: 1,
        itemsCarriedOver: 2,
      }),
      rep({ repId: 'bo', name: '-Bo', role: 'SDR' }),
    ],
    team: {
      targets: [{ metric: 'calls', planned: 10, actual: 5, ratio: 0.5 }],
      completionRatio: 0.5,
      itemsTotal: 3,
      itemsDone: 1,
      itemsCarriedOver: 2,
    },
  };

  it('writes one row per rep and metric, a row for a rep without targets, then the team line', async () => {
    const csv = await csvToString(SPRINT_REPORT_CSV_COLUMNS, sprintReportCsvRows(report));
    expect(parse(csv)).toEqual([
      [
        'sprintId',
        'teamId',
        'scope',
        'repId',
        'name',
        'role',
        'metric',
        'planned',
        'actual',
        'ratio',
        'completionRatio',
        'itemsTotal',
        'itemsDone',
        'itemsCarriedOver',
      ],
      ['s1', 'alpha', 'rep', 'ana', 'Ana', 'AE', 'calls', '10', '5', '0.5', '0.25', '3', '1', '2'],
      [
        's1',
        'alpha',
        'rep',
        'ana',
        'Ana',
        'AE',
        'revenueWon',
        '1000.00',
        '-250.00',
        '-0.25',
        '0.25',
        '3',
        '1',
        '2',
      ],
      ['s1', 'alpha', 'rep', 'bo', "'-Bo", 'SDR', '', '', '', '', '', '0', '0', '0'],
      ['s1', 'alpha', 'team', '', '', '', 'calls', '10', '5', '0.5', '0.5', '3', '1', '2'],
    ]);
  });
});
