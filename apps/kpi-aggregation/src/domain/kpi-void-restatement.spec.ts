import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('voided activities', () => {
  it('restate every affected snapshot with a higher revision, as if the activity had never been recorded', async () => {
    const tenant = 'voids';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    const call = b.call('ann', '2026-11-27T10:00:00Z', 'connected');
    const won = b.dealWon('ann', '2026-11-27T11:00:00Z', { dealId: 'd1', amount: '500' });
    await h.feed([b.joined('t1', 'ann', '2026-01-01T00:00:00Z'), call, b.call('ann', '2026-11-27T10:30:00Z', 'no_answer'), won]);
    expect(h.snapshot('team', 't1', 'day', '2026-11-27')).toMatchObject({ revision: 1, metrics: { calls: 2, connects: 1, dealsWon: 1 } });

    const voidCall = b.void(call);
    const voidWon = b.void(won);
    await h.feed([voidCall, voidWon]);
    expect(h.snapshot('team', 't1', 'day', '2026-11-27')).toMatchObject({
      revision: 2,
      // The newest recordedtime among the events the key reflects: the later void.
      asOf: voidWon.recordedtime,
      metrics: { calls: 1, connects: 0, connectRate: 0, dealsWon: 0, revenueWon: '0.00', winRate: null },
    });
    expect(h.metrics('org', tenant, 'year', 'FY2026')).toMatchObject({ calls: 1, dealsWon: 0 });
  });

  it('never counts an activity whose void arrived first, and delivering it again changes nothing', async () => {
    const b = new KpiEventBuilder('void-first');
    const call = b.call('ann', '2026-11-27T10:00:00Z');
    const h = new KpiHarness('void-first');
    await h.feed([b.void(call)]);
    await h.feed([call, call]);
    const before = h.published.length;
    await h.feed([call]);
    expect(h.published.length).toBe(before);
    expect(h.metrics('rep', 'ann', 'day', '2026-11-27')).toMatchObject({ calls: 0 });
  });

  it('un-cancels a deal when its cancellation is voided', async () => {
    const b = new KpiEventBuilder('void-cancel');
    const h = new KpiHarness('void-cancel');
    const cancel = b.dealCancelled('ann', '2026-12-02T09:00:00Z', 'd1');
    await h.feed([b.dealWon('ann', '2026-11-27T11:00:00Z', { dealId: 'd1', amount: '500' }), cancel]);
    expect(h.metrics('rep', 'ann', 'month', '2026-11')).toMatchObject({ dealsWon: 0, revenueWon: '0.00' });
    await h.feed([b.void(cancel)]);
    expect(h.snapshot('rep', 'ann', 'month', '2026-11')).toMatchObject({ revision: 2, metrics: { dealsWon: 1, revenueWon: '500.00' } });
  });
});
