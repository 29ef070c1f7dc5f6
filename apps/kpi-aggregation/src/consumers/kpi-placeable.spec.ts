import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiInputError, toKpiInput } from '../domain/kpi-input';
import { assertPlaceable } from './kpi-placeable';

describe('what the KPI service can place', () => {
  const b = new KpiEventBuilder('placeable');
  const input = (expectedCloseDate: string) => {
    const i = toKpiInput(b.stageChanged('ann', '2026-11-27T10:00:00Z', 'o1', { expectedCloseDate }));
    if (!i) throw new Error('no input');
    return i;
  };

  it('takes any close date up to 9998-12-30 and dead-letters one whose periods would end after 9999-12-31', () => {
    expect(() => assertPlaceable(input('9998-12-30'))).not.toThrow();
    expect(() => assertPlaceable(input('9998-12-31'))).toThrow(KpiInputError);
    expect(() => assertPlaceable(input('9999-12-31'))).toThrow(/expectedCloseDate 9999-12-31/);
  });
});
