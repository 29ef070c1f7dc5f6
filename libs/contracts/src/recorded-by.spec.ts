import { EVENT_EXAMPLES } from './event-examples';
import { InvalidEventError } from './invalid-event.error';
import { makeEvent } from './make-event';
import { parseCloudEvent } from './parse-cloud-event';

// SPEC §6: activities carry who recorded them in the CloudEvent extensions recordedby/recordedrole.
describe('recordedby / recordedrole extensions', () => {
  const base = {
    id: 'evt-1',
    tenantId: 'acme',
    time: '2026-11-27T09:30:00+01:00',
    data: EVENT_EXAMPLES['pacer.activity.deal_won.v1'],
  };

  it('are set from recordedBy and read back by parseCloudEvent', () => {
    const event = makeEvent('pacer.activity.deal_won.v1', {
      ...base,
      recordedBy: { sub: 'user-7', role: 'rep' },
    });
    expect(event).toMatchObject({ recordedby: 'user-7', recordedrole: 'rep' });
    const parsed = parseCloudEvent(JSON.stringify(event));
    expect(parsed).toMatchObject({ ok: true, event: { recordedby: 'user-7', recordedrole: 'rep' } });
  });

  it('stay optional: an event without them (published before they existed) is valid', () => {
    const event = makeEvent('pacer.activity.deal_won.v1', base);
    expect(event).not.toHaveProperty('recordedby');
    expect(event).not.toHaveProperty('recordedrole');
    expect(parseCloudEvent(JSON.stringify(event)).ok).toBe(true);
  });

  it('refuse an empty sub or a role that is not a role name', () => {
    expect(() =>
      makeEvent('pacer.activity.deal_won.v1', { ...base, recordedBy: { sub: '', role: 'rep' } }),
    ).toThrow(InvalidEventError);
    expect(() =>
      makeEvent('pacer.activity.deal_won.v1', { ...base, recordedBy: { sub: 'u', role: 'Rep; admin' } }),
    ).toThrow(InvalidEventError);
    const event = { ...makeEvent('pacer.activity.deal_won.v1', base), recordedrole: 42 };
    expect(parseCloudEvent(JSON.stringify(event)).ok).toBe(false);
  });
});
