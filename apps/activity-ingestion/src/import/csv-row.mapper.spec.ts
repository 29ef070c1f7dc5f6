import { csvRowToActivity } from './csv-row.mapper';

describe('CSV cells to activity fields', () => {
  const header = ['activityId', 'kind', 'credits', 'products', 'durationSec', 'amount'];

  it('reads credits in the compact form or as JSON, products as JSON, durations as numbers', () => {
    expect(
      csvRowToActivity(header, [
        'd1',
        'deal_won',
        'rep:a:0.6; repB:0.4',
        '[{"productId":"p","quantity":2}]',
        '',
        '10.00',
      ]),
    ).toEqual({
      ok: true,
      raw: {
        activityId: 'd1',
        kind: 'deal_won',
        credits: [
          { repId: 'rep:a', share: '0.6' },
          { repId: 'repB', share: '0.4' },
        ],
        products: [{ productId: 'p', quantity: 2 }],
        amount: '10.00',
      },
    });
    expect(
      csvRowToActivity(header, ['d1', 'deal_won', '[{"repId":"a","share":"1"}]', '', '', '']),
    ).toMatchObject({ ok: true, raw: { credits: [{ repId: 'a', share: '1' }] } });
    expect(csvRowToActivity(header, ['c1', 'call_logged', '', '', '45', ''])).toMatchObject({
      ok: true,
      raw: { durationSec: 45 },
    });
    // Not a whole number: left as text for validation to reject with the usual message.
    expect(csvRowToActivity(header, ['c1', 'call_logged', '', '', '4.5', ''])).toMatchObject({
      ok: true,
      raw: { durationSec: '4.5' },
    });
  });

  it('reports unreadable credits and products with the field as path', () => {
    expect(csvRowToActivity(header, ['d1', 'deal_won', 'nonsense', '[oops', '', ''])).toEqual({
      ok: false,
      errors: [
        { path: 'credits', message: expect.stringContaining('repA:0.5') },
        { path: 'products', message: expect.stringContaining('JSON array') },
      ],
    });
  });

  it('keeps a column named __proto__ as a field (to be rejected), never as a prototype', () => {
    const result = csvRowToActivity(['activityId', '__proto__'], ['a', 'x']);
    expect(result.ok && Object.keys(result.raw)).toEqual(['activityId', '__proto__']);
  });
});
