import { decodeNotificationInput } from './notification-decoder';

function envelope(type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      id: 'e1',
      source: '/pacer/commission',
      type,
      time: '2026-12-03T10:00:00Z',
      subject: 'r1',
      datacontenttype: 'application/json',
      dataschema: `urn:pacer:schema:${type}`,
      tenantid: 't1',
      recordedtime: '2026-12-03T10:00:01Z',
      data,
      ...extra,
    }),
  );
}

describe('decoding the notifications input', () => {
  it('accepts a known event with unknown extra fields', () => {
    const result = decodeNotificationInput(
      envelope(
        'pacer.commission.payout.v1',
        { repId: 'r1', periodKey: '2026-11', currency: 'USD', total: '10.00', statementId: 's', statementVersion: 1, newField: 1 },
        { newAttribute: 'x' },
      ),
    );
    expect(result).toMatchObject({ ok: true, event: { type: 'pacer.commission.payout.v1', data: { newField: 1 } } });
  });

  it('dead-letters a known type that breaks its schema', () => {
    expect(decodeNotificationInput(envelope('pacer.activity.deal_won.v1', { repId: 'r1' }))).toMatchObject({ ok: false, error: expect.stringContaining('deal_won') });
  });

  it('skips types it does not notify and tombstones', () => {
    expect(decodeNotificationInput(envelope('pacer.somebody.else.v1', {}))).toMatchObject({ ok: false, skip: true });
    expect(decodeNotificationInput(null)).toMatchObject({ ok: false, skip: true });
  });

  it('dead-letters what is not a CloudEvent', () => {
    expect(decodeNotificationInput(Buffer.from('not json'))).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
  });
});
