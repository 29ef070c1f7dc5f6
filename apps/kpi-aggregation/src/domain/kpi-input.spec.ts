import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiInputError, toKpiInput } from './kpi-input';

describe('reading consumed events', () => {
  it('ignores events that change no KPI and rejects a time zone no calendar knows', () => {
    const b = new KpiEventBuilder('inputs');
    expect(toKpiInput(b.stageChanged('ann', '2026-11-27T10:00:00Z', 'o1'))).toBeUndefined();
    expect(toKpiInput(b.void(b.stageChanged('ann', '2026-11-27T10:00:00Z', 'o1')))).toBeUndefined();
    expect(toKpiInput(b.call('ann', '2026-11-27T10:00:00.123456789+01:00'))).toMatchObject({
      type: 'facts',
      rows: [{ kind: 'call_logged', occurredMs: Date.parse('2026-11-27T09:00:00.123Z'), voided: false }],
    });
    expect(() => toKpiInput(b.settings('Mars/Olympus_Mons'))).toThrow(KpiInputError);
  });
});
