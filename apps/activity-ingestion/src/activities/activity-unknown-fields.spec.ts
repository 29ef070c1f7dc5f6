import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

describe('validateActivity: unknown fields are rejected, including fields of another kind', () => {
  it('rejects a field no activity has', () => {
    expect(validateActivity({ ...sampleActivity('email_sent'), subject: 'hi' })).toMatchObject({
      ok: false,
      activityId: 'act-email_sent',
      errors: [{ path: 'subject', message: 'is not a field of a email_sent activity' }],
    });
  });

  it("rejects another kind's field (an outcome on an email)", () => {
    expect(validateActivity({ ...sampleActivity('email_sent'), outcome: 'connected' })).toMatchObject({
      ok: false,
      errors: [{ path: 'outcome', message: 'is not a field of a email_sent activity' }],
    });
  });

  it('rejects unknown fields inside credits and products, with their index in the path', () => {
    const deal = sampleActivity('deal_won');
    const result = validateActivity({
      ...deal,
      credits: [{ repId: 'rep-1', share: '1', weight: 2 }],
      products: [{ productId: 'p', sku: 'x' }],
    });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.errors).toEqual(
      expect.arrayContaining([
        { path: 'credits.0.weight', message: 'is not a known field' },
        { path: 'products.0.sku', message: 'is not a known field' },
      ]),
    );
  });

  it('rejects prototype keys rather than letting them reach class-transformer', () => {
    const raw = JSON.parse(
      '{"activityId":"a","kind":"email_sent","repId":"r","occurredAt":"2026-11-27T09:30:00Z","__proto__":{"x":1}}',
    ) as unknown;
    expect(validateActivity(raw)).toMatchObject({
      ok: false,
      errors: [{ path: '__proto__', message: 'is not a known field' }],
    });
  });

  it.each(['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__defineGetter__'])(
    'rejects a field named after an Object.prototype member (%s), which class-validator alone would let through',
    (key) => {
      expect(validateActivity({ ...sampleActivity('email_sent'), [key]: [] })).toMatchObject({
        ok: false,
        errors: [{ path: key }],
      });
      const deal = sampleActivity('deal_won');
      expect(validateActivity({ ...deal, credits: [{ repId: 'a', share: '1', [key]: 1 }] })).toMatchObject({
        ok: false,
        errors: [{ path: `credits.0.${key}` }],
      });
    },
  );
});
