import { validateActivity } from './activity.validator';

describe('validateActivity: the item itself', () => {
  it.each([null, 1, 'x', true, [], [{ kind: 'email_sent' }]])('rejects %p, which is not an object', (raw) => {
    expect(validateActivity(raw)).toEqual({
      ok: false,
      errors: [{ path: '', message: 'an activity must be a JSON object' }],
    });
  });

  it('rejects a missing or unknown kind naming the kinds', () => {
    for (const kind of [undefined, 'call', 7]) {
      const result = validateActivity({
        activityId: 'a',
        kind,
        repId: 'r',
        occurredAt: '2026-11-27T09:30:00Z',
      });
      expect(result).toMatchObject({ ok: false, activityId: 'a', errors: [{ path: 'kind' }] });
      expect(!result.ok && result.errors[0]?.message).toContain('call_logged');
    }
  });

  it('requires activityId, repId and occurredAt and reports each', () => {
    const result = validateActivity({ kind: 'email_sent' });
    expect(!result.ok && result.errors.map((e) => e.path).sort()).toEqual([
      'activityId',
      'occurredAt',
      'repId',
    ]);
  });

  it('limits ids to 1–128 characters without control characters', () => {
    const base = { kind: 'email_sent', repId: 'r', occurredAt: '2026-11-27T09:30:00Z' };
    expect(validateActivity({ ...base, activityId: '' }).ok).toBe(false);
    expect(validateActivity({ ...base, activityId: 'x'.repeat(129) }).ok).toBe(false);
    expect(validateActivity({ ...base, activityId: 'a\u0001b' }).ok).toBe(false);
    expect(validateActivity({ ...base, activityId: 'x'.repeat(128) }).ok).toBe(true);
    expect(validateActivity({ ...base, activityId: 42 }).ok).toBe(false);
  });

  it('rejects text Postgres cannot store: NUL and unpaired surrogates, wherever they are', () => {
    const base = {
      activityId: 'a',
      kind: 'lead_created',
      repId: 'r',
      occurredAt: '2026-11-27T09:30:00Z',
      leadId: 'l',
    };
    expect(validateActivity({ ...base, source: 'a\u0000b' })).toMatchObject({
      ok: false,
      errors: [{ path: 'source' }],
    });
    expect(validateActivity({ ...base, leadId: '\ud800' })).toMatchObject({
      ok: false,
      errors: [{ path: 'leadId' }],
    });
    expect(validateActivity({ ...base, source: 'emoji 😀 is fine' }).ok).toBe(true);
  });

  it('refuses absurdly deep nesting without walking it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50; i++) deep = { d: deep };
    expect(
      validateActivity({
        activityId: 'a',
        kind: 'email_sent',
        repId: 'r',
        occurredAt: '2026-11-27T09:30:00Z',
        extra: deep,
      }),
    ).toMatchObject({ ok: false });
  });
});
