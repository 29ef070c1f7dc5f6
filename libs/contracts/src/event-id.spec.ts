import { deterministicEventId, newEventId } from './event-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('event ids', () => {
  it('newEventId is a random UUID v4', () => {
    const id = newEventId();
    expect(UUID.exec(id)?.[1]).toBe('4');
    expect(newEventId()).not.toBe(id);
  });

  it('deterministicEventId is a UUID v5 that depends only on its parts', () => {
    const id = deterministicEventId('acme', 'acme:rep:rep-ana:month:2026-11', '3');
    expect(UUID.exec(id)?.[1]).toBe('5');
    expect(deterministicEventId('acme', 'acme:rep:rep-ana:month:2026-11', '3')).toBe(id);
    expect(deterministicEventId('acme', 'acme:rep:rep-ana:month:2026-11', '4')).not.toBe(id);
  });

  it('keeps parts apart', () => {
    expect(deterministicEventId('a:b', 'c')).not.toBe(deterministicEventId('a', 'b:c'));
    expect(deterministicEventId('ab')).not.toBe(deterministicEventId('a', 'b'));
  });

  it('matches RFC 9562 UUID v5 (same value as Python uuid.uuid5 for this namespace)', () => {
    expect(deterministicEventId('example', 'pacer.activity.call_logged.v1')).toBe(
      '53577a0e-9d52-56aa-a253-b28815f30aa6',
    );
  });
});
