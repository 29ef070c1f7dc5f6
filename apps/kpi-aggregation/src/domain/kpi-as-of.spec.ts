import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('asOf of a snapshot', () => {
  it('is the newest recordedtime of the activities, voids and quotas it reflects, also after a fact leaves the key', async () => {
    const b = new KpiEventBuilder('as-of');
    const h = new KpiHarness('as-of');
    const early = b.call('ann', '2026-11-02T10:00:00Z', 'connected', { recordedAt: '2026-11-02T10:00:05Z' });
    const late = b.call('ann', '2026-11-10T10:00:00Z', 'connected', { recordedAt: '2026-11-10T10:00:05Z' });
    const quota = b.quota('ann', '2026-11', '10', { recordedAt: '2026-11-05T00:00:00Z' });
    await h.feed([b.joined('t1', 'ann', '2026-11-01T00:00:00Z', 'AE', { recordedAt: '2026-12-01T00:00:00Z' }), early, late, quota]);
    expect(h.snapshot('rep', 'ann', 'month', '2026-11')?.asOf).toBe('2026-11-10T10:00:05.000Z');
    expect(h.snapshot('team', 't1', 'month', '2026-11')?.asOf).toBe('2026-11-10T10:00:05.000Z');
    expect(h.snapshot('rep', 'ann', 'day', '2026-11-02')?.asOf).toBe('2026-11-02T10:00:05.000Z');

    // ann left t1 on the 8th (recorded much later): the late call leaves the team's November,
    // whose asOf falls back to the newest event still in it — the quota, then the early call.
    await h.feed([b.left('t1', 'ann', '2026-11-08T00:00:00Z', { recordedAt: '2026-12-02T00:00:00Z' })]);
    expect(h.snapshot('team', 't1', 'month', '2026-11')).toMatchObject({ asOf: '2026-11-05T00:00:00.000Z', metrics: { calls: 1, quota: '10.00' } });

    // A void is an event the key reflects.
    await h.feed([b.void(early, { recordedAt: '2026-12-03T00:00:00Z' })]);
    expect(h.snapshot('team', 't1', 'month', '2026-11')).toMatchObject({ asOf: '2026-12-03T00:00:00.000Z', metrics: { calls: 0 } });
  });
});
