import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiInputError, toKpiInput } from './kpi-input';

describe('reading consumed events', () => {
  it('reads activities and stage changes, and rejects a time zone no calendar knows', () => {
    const b = new KpiEventBuilder('inputs');
    // A stage change counts in no tally, but carries the opportunity's forecast fields.
    expect(toKpiInput(b.stageChanged('ann', '2026-11-27T10:00:00Z', 'o1', { amount: '12.50', probability: '0.25', expectedCloseDate: '2026-12-01' }))).toMatchObject({
      type: 'facts',
      rows: [],
      opportunity: { opportunityId: 'o1', created: false, amountCents: 1250n, probabilityUnits: 250_000n, closeDate: '2026-12-01', voided: false },
    });
    expect(toKpiInput(b.void(b.stageChanged('ann', '2026-11-27T10:00:00Z', 'o1')))).toMatchObject({
      rows: [],
      opportunity: { opportunityId: 'o1', voided: true, recordedMs: null },
    });
    expect(toKpiInput(b.call('ann', '2026-11-27T10:00:00.123456789+01:00'))).toMatchObject({
      type: 'facts',
      rows: [{ kind: 'call_logged', occurredMs: Date.parse('2026-11-27T09:00:00.123Z'), voided: false }],
    });
    expect(() => toKpiInput(b.settings('Mars/Olympus_Mons'))).toThrow(KpiInputError);
  });
});
