import { exampleEvent } from './event-examples';
import { parseCloudEvent, type ParseResult } from './parse-cloud-event';

const won = exampleEvent('pacer.activity.deal_won.v1');

function parse(value: unknown): ParseResult {
  return parseCloudEvent(JSON.stringify(value));
}

function errorOf(result: ParseResult): string {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('parseCloudEvent', () => {
  it('returns a valid event, typed by its type', () => {
    const result = parse(won);
    expect(result).toEqual({ ok: true, event: won });
    if (result.ok && result.event.type === 'pacer.activity.deal_won.v1') {
      expect(result.event.data.credits).toHaveLength(2);
    }
  });

  it('reads a Buffer as UTF-8', () => {
    const event = exampleEvent('pacer.roster.member_joined.v1');
    const withAccents = { ...event, data: { ...event.data, name: 'Zoë Ñúñez 山田' } };
    expect(parseCloudEvent(Buffer.from(JSON.stringify(withAccents), 'utf8'))).toEqual({
      ok: true,
      event: withAccents,
    });
  });

  describe('tolerates unknown extra fields (SPEC §2)', () => {
    it('in the envelope, e.g. a tracing extension', () => {
      const event = { ...won, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
      expect(parse(event)).toEqual({ ok: true, event });
    });

    it('in data and nested objects, and keeps them', () => {
      const event = {
        ...won,
        data: { ...won.data, crmId: 'sf-001', credits: [{ repId: 'rep-ana', share: '1', note: 'all hers' }] },
      };
      expect(parse(event)).toEqual({ ok: true, event });
    });
  });

  describe('rejects garbage with a clear error', () => {
    it.each([
      [null, /empty value \(null, e\.g\. a tombstone\)/],
      [undefined, /empty value/],
      ['', /^not JSON: /],
      ['{"specversion": "1.0",', /^not JSON: /],
      [Buffer.from([0xff, 0xfe, 0x00]), /^not JSON: /],
      ['"pacer.activity.call_logged.v1"', /must be a JSON object/],
      ['[]', /must be a JSON object/],
      ['42', /must be a JSON object/],
      ['null', /must be a JSON object/],
    ])('%p', (raw, message) => {
      const result = parseCloudEvent(raw as Buffer | string | null | undefined);
      expect(result).toMatchObject({ ok: false, unknownType: false });
      expect(errorOf(result)).toMatch(message);
    });

    it('a wrong or missing specversion', () => {
      expect(errorOf(parse({ ...won, specversion: '0.3' }))).toBe(
        'not a CloudEvents 1.0 event: specversion is "0.3", expected "1.0"',
      );
      expect(errorOf(parse({ ...won, specversion: 1 }))).toBe(
        'not a CloudEvents 1.0 event: specversion is 1, expected "1.0"',
      );
      const { specversion: _s, ...withoutVersion } = won;
      expect(errorOf(parse(withoutVersion))).toBe(
        'not a CloudEvents 1.0 event: specversion is missing, expected "1.0"',
      );
    });

    it.each([
      'id',
      'source',
      'type',
      'time',
      'subject',
      'datacontenttype',
      'dataschema',
      'tenantid',
      'recordedtime',
      'data',
    ])('a missing %s', (attribute) => {
      const event: Record<string, unknown> = { ...won };
      delete event[attribute];
      expect(errorOf(parse(event))).toBe(`invalid CloudEvent envelope: ${attribute} is required`);
    });

    it.each([
      [{ id: '' }, 'id must NOT have fewer than 1 characters'],
      [{ time: '2026-11-27T16:45:00' }, 'time must be an ISO 8601 instant with offset'],
      [{ recordedtime: 1764258300000 }, 'recordedtime must be string'],
      [{ datacontenttype: 'application/xml' }, 'datacontenttype must be "application/json"'],
      [{ data: 'a string' }, 'data must be object'],
      [{ data: null }, 'data must be object'],
    ])('a bad attribute %j', (patch, message) => {
      expect(errorOf(parse({ ...won, ...patch }))).toContain(message);
    });

    it('a dataschema that does not match the type', () => {
      expect(errorOf(parse({ ...won, dataschema: 'urn:pacer:schema:pacer.activity.deal_lost.v1' }))).toBe(
        'invalid pacer.activity.deal_won.v1: dataschema must be urn:pacer:schema:pacer.activity.deal_won.v1, ' +
          'got urn:pacer:schema:pacer.activity.deal_lost.v1',
      );
    });

    it('data that breaks its schema, naming the field', () => {
      expect(errorOf(parse({ ...won, data: { ...won.data, currency: 'usd' } }))).toBe(
        'invalid pacer.activity.deal_won.v1: data/currency must be an ISO 4217 currency code, e.g. "USD"',
      );
      const { amount: _a, ...withoutAmount } = won.data;
      expect(errorOf(parse({ ...won, data: withoutAmount }))).toBe(
        'invalid pacer.activity.deal_won.v1: data/amount is required',
      );
    });

    it('data that breaks a cross-field rule', () => {
      const credits = [{ repId: 'rep-ana', share: '0.5' }];
      expect(errorOf(parse({ ...won, data: { ...won.data, credits } }))).toBe(
        'invalid pacer.activity.deal_won.v1: data/credits shares must sum to exactly 1 (they sum to 0.5)',
      );
    });
  });

  describe('unknown event types', () => {
    it('are a distinct result a consumer can skip instead of dead-lettering', () => {
      const event = { ...won, type: 'pacer.activity.deal_renewed.v1', dataschema: 'urn:pacer:schema:x' };
      expect(parse(event)).toEqual({
        ok: false,
        unknownType: true,
        type: 'pacer.activity.deal_renewed.v1',
        id: won.id,
        error: 'unknown event type pacer.activity.deal_renewed.v1',
      });
    });

    it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])(
      'do not include object built-ins like %s',
      (type) => {
        expect(parse({ ...won, type })).toMatchObject({ ok: false, unknownType: true, type });
      },
    );

    it('still need a valid envelope', () => {
      expect(parse({ ...won, type: 'pacer.activity.deal_renewed.v1', tenantid: '' })).toMatchObject({
        ok: false,
        unknownType: false,
      });
    });
  });
});
