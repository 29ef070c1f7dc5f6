import { DEFAULT_CALENDAR, parseInstant } from '@pacer/sales-domain';
import { planVersion } from '../../test/calculation-fixtures';
import { buildTimeline, windowAt } from './rep-timeline';
import type { PlanVersion } from './statement.types';

const ms = (iso: string) => parseInstant(iso).toMillis();

describe('a plan version change between periods', () => {
  const v1 = planVersion({ effectiveFrom: '2026-01-01' }, 1);
  const v2 = planVersion({ effectiveFrom: '2026-04-01', tiers: [{ from: '0', rate: '0.06' }] }, 2);
  const versions = new Map<string, PlanVersion[]>([['ae', [v2, v1]]]);
  const timeline = buildTimeline(
    [{ planId: 'ae', effectiveFrom: '2026-01-01', eventId: 'assign-1' }],
    versions,
    DEFAULT_CALENDAR,
    ms('2026-12-31T00:00:00Z'),
  );

  it('governs each period by the version in force at its start', () => {
    expect(windowAt(timeline, ms('2026-03-31T23:59:59Z'))).toMatchObject({
      key: 'FY2026-Q1',
      version: { version: 1 },
    });
    expect(windowAt(timeline, ms('2026-04-01T00:00:00Z'))).toMatchObject({
      key: 'FY2026-Q2',
      version: { version: 2 },
    });
  });

  it('keeps a version that starts mid-period out of that period until the next one', () => {
    const v3 = planVersion({ effectiveFrom: '2026-05-15' }, 3);
    const t = buildTimeline(
      [{ planId: 'ae', effectiveFrom: '2026-01-01', eventId: 'assign-1' }],
      new Map([['ae', [v1, v2, v3]]]),
      DEFAULT_CALENDAR,
      ms('2026-12-31T00:00:00Z'),
    );
    expect(windowAt(t, ms('2026-06-01T00:00:00Z'))).toMatchObject({
      key: 'FY2026-Q2',
      version: { version: 2 },
    });
    expect(windowAt(t, ms('2026-07-01T00:00:00Z'))).toMatchObject({
      key: 'FY2026-Q3',
      version: { version: 3 },
    });
  });

  it('lets an assignment dated mid-period take effect at the next boundary, cutting a longer period short', () => {
    const monthly = planVersion({ period: 'month', effectiveFrom: '2026-01-01' }, 1, 'monthly');
    const t = buildTimeline(
      [
        { planId: 'monthly', effectiveFrom: '2026-01-01', eventId: 'a1' },
        { planId: 'ae', effectiveFrom: '2026-02-10', eventId: 'a2' },
      ],
      new Map([
        ['ae', [v1]],
        ['monthly', [monthly]],
      ]),
      DEFAULT_CALENDAR,
      ms('2026-07-01T00:00:00Z'),
    );
    expect(t.map((w) => [w.key, w.start, w.planId, w.truncated])).toEqual([
      ['2026-01', '2026-01-01T00:00:00Z', 'monthly', false],
      ['2026-02', '2026-02-01T00:00:00Z', 'monthly', false],
      ['FY2026-Q1', '2026-03-01T00:00:00Z', 'ae', true],
      ['FY2026-Q2', '2026-04-01T00:00:00Z', 'ae', false],
      ['FY2026-Q3', '2026-07-01T00:00:00Z', 'ae', false],
    ]);
  });

  it('starts with the whole period that holds the first assignment, and has no period before it', () => {
    const t = buildTimeline(
      [{ planId: 'ae', effectiveFrom: '2026-02-15', eventId: 'a' }],
      versions,
      DEFAULT_CALENDAR,
      ms('2026-03-01T00:00:00Z'),
    );
    expect(windowAt(t, ms('2026-01-02T00:00:00Z'))).toMatchObject({ key: 'FY2026-Q1', truncated: false });
    expect(windowAt(t, ms('2025-12-31T23:59:59Z'))).toBeUndefined();
  });

  it('cuts periods in the tenant calendar', () => {
    const t = buildTimeline(
      [{ planId: 'ae', effectiveFrom: '2026-01-01', eventId: 'a' }],
      versions,
      { timezone: 'America/New_York', weekStartsOn: 1, fiscalYearStartMonth: 2 },
      ms('2026-03-01T00:00:00Z'),
    );
    expect(t[0]).toMatchObject({
      key: 'FY2026-Q4',
      start: '2025-11-01T00:00:00-04:00',
      end: '2026-02-01T00:00:00-05:00',
    });
  });
});
