import { isInstant } from '@pacer/sales-domain';
import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

describe('occurredAt and the other instants: ISO 8601 with an offset', () => {
  it.each([
    '2026-11-27T09:30:00Z',
    '2026-11-27T09:30:00+01:00',
    '2026-11-27T09:30:00-05:30',
    '2026-11-27T09:30:00.123Z',
    '2026-11-27T09:30:00.123456789+14:00',
    '2024-02-29T00:00:00Z',
    '2000-02-29T23:59:59Z',
  ])('accepts %s', (value) => {
    expect(isInstant(value)).toBe(true);
  });

  it.each([
    ['no offset', '2026-11-27T09:30:00'],
    ['a date only', '2026-11-27'],
    ['a space instead of T', '2026-11-27 09:30:00Z'],
    ['lower-case z', '2026-11-27T09:30:00z'],
    ['30 February', '2026-02-30T09:30:00Z'],
    ['29 February of a common year', '2026-02-29T09:30:00Z'],
    ['29 February 1900', '1900-02-29T09:30:00Z'],
    ['31 April', '2026-04-31T09:30:00Z'],
    ['month 13', '2026-13-01T09:30:00Z'],
    ['day 0', '2026-11-00T09:30:00Z'],
    ['hour 24', '2026-11-27T24:00:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['minute 60 in the offset', '2026-11-27T09:30:00+01:60'],
    ['an offset beyond 14 hours', '2026-11-27T09:30:00+15:00'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['ten fraction digits', '2026-11-27T09:30:00.1234567890Z'],
    ['a compact offset', '2026-11-27T09:30:00+0100'],
  ])('rejects %s', (_, value) => {
    expect(isInstant(value)).toBe(false);
  });

  it('applies to occurredAt, scheduledFor and openedAt with the field in the path', () => {
    expect(validateActivity({ ...sampleActivity('email_sent'), occurredAt: '2026-11-27' })).toMatchObject({
      ok: false,
      errors: [{ path: 'occurredAt' }],
    });
    expect(
      validateActivity({ ...sampleActivity('meeting_scheduled'), scheduledFor: 'tomorrow' }),
    ).toMatchObject({ ok: false, errors: [{ path: 'scheduledFor' }] });
    expect(validateActivity({ ...sampleActivity('deal_won'), openedAt: 1764230400000 })).toMatchObject({
      ok: false,
      errors: [{ path: 'openedAt' }],
    });
  });

  it('accepts a scheduledFor before the booking (nothing in particular about order)', () => {
    expect(
      validateActivity({ ...sampleActivity('meeting_scheduled'), scheduledFor: '2020-01-01T00:00:00Z' }).ok,
    ).toBe(true);
  });
});
