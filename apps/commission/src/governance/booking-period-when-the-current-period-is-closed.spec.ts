import { DEFAULT_CALENDAR, parseInstant } from '@pacer/sales-domain';
import { planVersion } from '../../test/calculation-fixtures';
import { bookingPeriod } from '../calculation/prior-period';
import { buildTimeline } from '../calculation/rep-timeline';

const ms = (iso: string): number => parseInstant(iso).toMillis();

describe('the period a closed period’s correction is booked in', () => {
  const timeline = buildTimeline(
    [{ planId: 'ae', effectiveFrom: '2026-01-01', eventId: 'assign-1' }],
    new Map([['ae', [planVersion({ effectiveFrom: '2026-01-01' })]]]),
    DEFAULT_CALENDAR,
    ms('2028-01-01T00:00:00Z'),
  );
  const now = ms('2026-08-15T12:00:00Z');
  const q1End = ms('2026-04-01T00:00:00Z');

  it('is the rep’s period containing now when it is open', () => {
    expect(bookingPeriod(timeline, new Set(['FY2026-Q1']), now, q1End)?.key).toBe('FY2026-Q3');
  });

  it('is the next open period when the one containing now is closed too', () => {
    expect(bookingPeriod(timeline, new Set(['FY2026-Q1', 'FY2026-Q3']), now, q1End)?.key).toBe('FY2026-Q4');
  });

  it('is the first open period after the closed one when the plan calendar ends before now', () => {
    const short = timeline.filter((w) => w.endMs <= ms('2026-07-01T00:00:00Z'));
    expect(bookingPeriod(short, new Set(['FY2026-Q1']), now, q1End)?.key).toBe('FY2026-Q2');
  });
});
