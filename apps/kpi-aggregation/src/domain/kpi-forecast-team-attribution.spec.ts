import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';

describe('forecast team attribution', () => {
  it("counts for the rep's team(s) at the start of the expected close date in the tenant time zone, also when the roster arrives late", async () => {
    const tenant = 'fct';
    const b = new KpiEventBuilder(tenant);
    const h = new KpiHarness(tenant);
    await h.feed([
      b.settings('America/New_York'),
      // Closes 10 December: the day starts at 05:00Z in New York.
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o1', '1000', { expectedCloseDate: '2026-12-10', probability: '1' }),
      b.opportunity('ann', '2026-11-02T09:00:00Z', 'o2', '300', { expectedCloseDate: '2026-12-11', probability: '1' }),
    ]);
    // The roster comes after the opportunities: ann leaves east at 10 Dec 09:00 New York time and joins west then.
    await h.feed([
      b.joined('east', 'ann', '2026-01-01T00:00:00Z'),
      b.left('east', 'ann', '2026-12-10T14:00:00Z'),
      b.joined('west', 'ann', '2026-12-10T14:00:00Z'),
    ]);
    // o1 (10 Dec, ann still in east at local midnight) → east; o2 (11 Dec) → west.
    expect(h.metrics('team', 'east', 'month', '2026-12')).toMatchObject({ forecastPipeline: '1000.00' });
    expect(h.metrics('team', 'west', 'month', '2026-12')).toMatchObject({ forecastPipeline: '300.00' });
    expect(h.metrics('org', tenant, 'month', '2026-12')).toMatchObject({ forecastPipeline: '1300.00' });

    // A sprint of west covering 11 December carries o2 for ann and for the team.
    await h.feed([b.sprint('s1', 'west', '2026-12-11', 7)]);
    expect(h.metrics('rep', 'ann', 'sprint', 's1')).toMatchObject({ forecastPipeline: '300.00' });
    expect(h.metrics('team', 'west', 'sprint', 's1')).toMatchObject({ forecastPipeline: '300.00' });

    // In UTC the 10th starts at 00:00Z, still in east too; a move of the date to the 11th moves o1 to west.
    await h.feed([b.stageChanged('ann', '2026-11-20T09:00:00Z', 'o1', { expectedCloseDate: '2026-12-11' })]);
    expect(h.metrics('team', 'east', 'month', '2026-12')).toMatchObject({ forecastPipeline: '0.00' });
    expect(h.metrics('team', 'west', 'month', '2026-12')).toMatchObject({ forecastPipeline: '1300.00' });
  });
});
