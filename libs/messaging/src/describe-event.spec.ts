import { describeEvent } from './batch-applier';

describe('describeEvent', () => {
  it('reads id, type and tenant of a CloudEvent (tenantid) or a plain object (tenantId)', () => {
    expect(describeEvent({ id: 'e1', type: 'pacer.activity.logged', tenantid: 't1', data: {} })).toEqual({
      eventId: 'e1',
      eventType: 'pacer.activity.logged',
      tenantId: 't1',
    });
    expect(describeEvent({ id: 'e2', tenantId: 't2' })).toEqual({
      eventId: 'e2',
      eventType: undefined,
      tenantId: 't2',
    });
  });

  it('says nothing about what is not an object or has no such fields', () => {
    expect(describeEvent('text')).toEqual({});
    expect(describeEvent(null)).toEqual({});
    expect(describeEvent({ id: 7 })).toEqual({
      eventId: undefined,
      eventType: undefined,
      tenantId: undefined,
    });
  });
});
