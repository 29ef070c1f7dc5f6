import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

const opportunity = (amount: unknown) =>
  validateActivity({ ...sampleActivity('opportunity_created'), amount });

describe('validateActivity: money is a decimal string with at most two fraction digits', () => {
  it.each(['1', '1.5', '1250.00', '0.01', '999999999999999.99'])('accepts %s', (amount) => {
    expect(opportunity(amount).ok).toBe(true);
  });

  it.each([
    ['a number', 1250],
    ['three fraction digits', '1.005'],
    ['a leading zero', '01250'],
    ['a sign', '+5'],
    ['a negative amount', '-5'],
    ['an exponent', '1e3'],
    ['a thousands separator', '1,250.00'],
    ['a trailing dot', '12.'],
    ['a bare fraction', '.5'],
    ['more than 15 integer digits', '1234567890123456'],
    ['whitespace', ' 12'],
  ])('rejects %s', (_, amount) => {
    expect(opportunity(amount)).toMatchObject({ ok: false, errors: [{ path: 'amount' }] });
  });

  it('requires a won deal and an opportunity to be worth more than zero', () => {
    expect(opportunity('0')).toMatchObject({
      ok: false,
      errors: [{ path: 'amount', message: expect.stringContaining('greater than 0') }],
    });
    expect(validateActivity({ ...sampleActivity('deal_won'), amount: '0.00' })).toMatchObject({
      ok: false,
      errors: [{ path: 'amount' }],
    });
  });

  it('allows a free product line but not a malformed one', () => {
    const deal = sampleActivity('deal_won');
    expect(validateActivity({ ...deal, products: [{ productId: 'p', amount: '0' }] }).ok).toBe(true);
    expect(validateActivity({ ...deal, products: [{ productId: 'p', amount: '1.234' }] })).toMatchObject({
      ok: false,
      errors: [{ path: 'products.0.amount' }],
    });
  });
});
