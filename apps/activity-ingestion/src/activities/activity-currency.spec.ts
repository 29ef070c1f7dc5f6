import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

describe('validateActivity: currency is an ISO 4217 code', () => {
  it.each(['USD', 'EUR', 'JPY', 'CHF', 'BRL'])('accepts %s', (currency) => {
    expect(validateActivity({ ...sampleActivity('deal_won'), currency }).ok).toBe(true);
  });

  it.each(['usd', 'US', 'USDD', 'ABC', 'XXX', '', 840])('rejects %p', (currency) => {
    expect(validateActivity({ ...sampleActivity('opportunity_created'), currency })).toMatchObject({
      ok: false,
      errors: [{ path: 'currency', message: 'currency must be an ISO 4217 currency code, e.g. "USD"' }],
    });
  });
});
