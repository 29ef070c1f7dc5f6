import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

const deal = (credits: unknown) => validateActivity({ ...sampleActivity('deal_won'), credits });

describe('validateActivity: deal credits', () => {
  it('accepts shares that sum to exactly 1 as decimals (0.1 + 0.2 + 0.7, which floats get wrong)', () => {
    expect(
      deal([
        { repId: 'a', share: '0.1' },
        { repId: 'b', share: '0.2' },
        { repId: 'c', share: '0.7' },
      ]).ok,
    ).toBe(true);
  });

  it('accepts a single credit of 1 and omitting credits altogether', () => {
    expect(deal([{ repId: 'a', share: '1' }]).ok).toBe(true);
    const { credits: _, ...noCredits } = sampleActivity('deal_won');
    expect(validateActivity(noCredits).ok).toBe(true);
  });

  it('rejects shares that do not sum to 1', () => {
    expect(
      deal([
        { repId: 'a', share: '0.5' },
        { repId: 'b', share: '0.49' },
      ]),
    ).toMatchObject({
      ok: false,
      errors: [{ path: 'credits', message: 'shares must sum to exactly 1' }],
    });
    expect(
      deal([
        { repId: 'a', share: '0.333333' },
        { repId: 'b', share: '0.333333' },
        { repId: 'c', share: '0.333333' },
      ]).ok,
    ).toBe(false);
  });

  it.each([
    ['zero', '0'],
    ['above one', '1.5'],
    ['a number', 0.5],
    ['negative', '-0.5'],
    ['longer than 20 characters', '0.500000000000000000000'],
    ['a percentage', '50%'],
  ])('rejects a share that is %s, with its index in the path', (_, share) => {
    expect(
      deal([
        { repId: 'a', share: '1' },
        { repId: 'b', share },
      ]),
    ).toMatchObject({ ok: false, errors: [{ path: 'credits.1.share' }] });
  });

  it('rejects a rep credited twice, an empty list and a non-list', () => {
    expect(
      deal([
        { repId: 'a', share: '0.5' },
        { repId: 'a', share: '0.5' },
      ]),
    ).toMatchObject({
      ok: false,
      errors: [{ path: 'credits.1.repId', message: 'names a rep that is already credited' }],
    });
    expect(deal([])).toMatchObject({ ok: false, errors: [{ path: 'credits' }] });
    expect(deal('a:1')).toMatchObject({ ok: false, errors: [{ path: 'credits' }] });
    expect(deal([{ share: '1' }])).toMatchObject({ ok: false, errors: [{ path: 'credits.0.repId' }] });
  });
});
