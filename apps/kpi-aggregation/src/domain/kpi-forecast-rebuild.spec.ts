import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('rebuilding forecasts from the topics', () => {
  it('ends with the same snapshots and republishes nothing; a settings change restates close dates in the new zone', async () => {
    const b = new KpiEventBuilder('fcr');
    const won = b.dealWon('ann', '2026-11-20T10:00:00Z', { dealId: 'd1', opportunityId: 'o1', amount: '1000' });
    const events = [
      b.joined('t1', 'ann', '2026-01-01T00:00:00Z'),
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '1000', { expectedCloseDate: '2026-12-01', probability: '0.5' }),
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o2', '400', { expectedCloseDate: '2026-12-01', probability: '0.25' }),
      b.stageChanged('ann', '2026-11-05T09:00:00Z', 'o2', { amount: '800' }),
      won,
      b.dealCancelled('ann', '2026-11-22T10:00:00Z', 'd1'),
      b.quota('ann', '2026-12', '4000'),
    ];
    const h = new KpiHarness('fcr');
    await h.feed(events, 2);
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ forecastPipeline: '1800.00', forecastWeighted: '700.00', forecastCoverage: 0.175 });
    const before = new Map(h.topic);

    h.store.dropReadModels();
    expect(await h.feed([...events].reverse(), 3, false)).toEqual([]);
    expect(await h.publishEverything()).toEqual([]);
    expect(h.topic).toEqual(before);

    // 1 December starts on 30 November at 15:00Z in Tokyo: the forecast is still December's (a date, not an instant).
    await h.feed([b.settings('Asia/Tokyo')]);
    expect(h.metrics('rep', 'ann', 'month', '2026-12')).toMatchObject({ forecastPipeline: '1800.00' });
    expect(h.metrics('rep', 'ann', 'day', '2026-12-01')).toMatchObject({ forecastPipeline: '1800.00' });
  });
});
