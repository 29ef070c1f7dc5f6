import { DateTime } from 'luxon';
import { daysGone, elapsedShare, idealAt, paceOf } from './pace';

const sprint = { start: '2026-11-22T00:00:00-05:00', end: '2026-11-29T00:00:00-05:00' };

describe('pace against the days gone', () => {
  it('measures the share of the sprint window gone', () => {
    expect(elapsedShare(sprint, DateTime.fromISO('2026-11-21T12:00:00-05:00'))).toBe(0);
    expect(elapsedShare(sprint, DateTime.fromISO('2026-11-25T12:00:00-05:00'))).toBeCloseTo(3.5 / 7);
    expect(elapsedShare(sprint, DateTime.fromISO('2026-12-01T00:00:00-05:00'))).toBe(1);
    expect(daysGone(sprint, 7, DateTime.fromISO('2026-11-25T12:00:00-05:00'))).toBe(4);
  });

  it('reads progress against the expected share', () => {
    expect(paceOf(0.5, 0.5).status).toBe('onPace');
    expect(paceOf(0.3, 0.5).status).toBe('behind');
    expect(paceOf(0.9, 0.5)).toEqual({ index: 1.8, status: 'ahead' });
    expect(paceOf(null, 0.5).status).toBe('none');
    expect(paceOf(0.2, 0).status).toBe('none');
  });

  it('draws the ideal line straight from 0 to the target', () => {
    expect(idealAt(30, 7, 7)).toBe(30);
    expect(idealAt('20000.00', 1, 7)).toBe(2857.14);
  });
});
