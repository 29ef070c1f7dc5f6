import { DateTime } from 'luxon';
import { sampleActivity } from '../../test/activity-samples';
import { csvRowToActivity } from '../import/csv-row.mapper';
import { validateActivity } from './activity.validator';

// SPEC §3: expectedCloseDate, probability (and on a stage change a new amount) are optional forecast
// fields of opportunity_created and opportunity_stage_changed.
describe('validateActivity: opportunity forecast fields', () => {
  const created = sampleActivity('opportunity_created');
  const staged = sampleActivity('opportunity_stage_changed');

  it('takes them on both kinds, probability in its shortest spelling', () => {
    const a = validateActivity({ ...created, expectedCloseDate: '2026-12-15', probability: '0.250' });
    expect(a).toMatchObject({ ok: true, activity: { expectedCloseDate: '2026-12-15', probability: '0.25' } });
    const b = validateActivity({ ...staged, amount: '30000', expectedCloseDate: '2027-01-31', probability: '1.0' });
    expect(b).toMatchObject({ ok: true, activity: { amount: '30000.00', expectedCloseDate: '2027-01-31', probability: '1' } });
  });

  it('leaves them out when absent or null (CRMs send null), so older payloads stay the same', () => {
    const plain = validateActivity(staged);
    expect(plain.ok).toBe(true);
    expect(validateActivity({ ...staged, amount: null, expectedCloseDate: null, probability: null })).toEqual(plain);
  });

  it.each([
    ['probability', '1.5'],
    ['probability', '-0.1'],
    ['probability', '0.1234567'],
    ['probability', 0.5],
    ['expectedCloseDate', '2026-02-30'],
    ['expectedCloseDate', '2026-12-15T00:00:00Z'],
    ['expectedCloseDate', '1969-12-31'],
    ['expectedCloseDate', DateTime.utc().plus({ years: 10, days: 2 }).toISODate()],
    ['amount', '0'],
    ['amount', '12.345'],
  ])('refuses %s = %j on a stage change, naming the field', (field, value) => {
    expect(validateActivity({ ...staged, [field]: value })).toMatchObject({ ok: false, errors: [{ path: field }] });
  });

  it('accepts a close date up to ten years ahead', () => {
    const date = DateTime.utc().plus({ years: 10 }).minus({ days: 1 }).toISODate();
    expect(validateActivity({ ...created, expectedCloseDate: date })).toMatchObject({ ok: true });
  });

  it('takes a new amount only on a stage change, not on other kinds', () => {
    expect(validateActivity({ ...sampleActivity('email_sent'), probability: '0.5' })).toMatchObject({ ok: false, errors: [{ path: 'probability' }] });
  });

  it('reads the forecast columns of a CSV row', () => {
    const header = ['activityId', 'kind', 'repId', 'occurredAt', 'opportunityId', 'toStage', 'amount', 'expectedCloseDate', 'probability'];
    const row = csvRowToActivity(header, ['a-1', 'opportunity_stage_changed', 'rep-1', '2026-11-02T10:00:00Z', 'opp-1', 'proposal', '1200.5', '2026-12-01', '0.4']);
    expect(row.ok).toBe(true);
    const v = validateActivity(row.ok ? row.raw : {});
    expect(v).toMatchObject({ ok: true, activity: { amount: '1200.50', expectedCloseDate: '2026-12-01', probability: '0.4' } });
  });
});
