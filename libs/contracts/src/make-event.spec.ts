import * as fc from 'fast-check';
import { arbitraryOf, instantArbitrary, validDataArbitrary } from '../test/schema-arbitrary';
import { EVENT_EXAMPLES, EXAMPLE_TENANT_ID } from './event-examples';
import { definitionOf, EVENT_TYPES, type EventType } from './event-registry';
import { InvalidEventError } from './invalid-event.error';
import { makeEvent } from './make-event';
import { parseCloudEvent } from './parse-cloud-event';

const base = { id: 'evt-1', tenantId: 'acme', time: '2026-11-27T09:30:00+01:00' };

function thrown(fn: () => unknown): InvalidEventError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

describe('makeEvent', () => {
  it('fills the envelope from the type', () => {
    const data = EVENT_EXAMPLES['pacer.activity.call_logged.v1'];
    const event = makeEvent('pacer.activity.call_logged.v1', {
      ...base,
      data,
      recordedTime: '2026-11-27T08:30:01.000Z',
    });
    expect(event).toEqual({
      specversion: '1.0',
      id: 'evt-1',
      source: '/pacer/activity-ingestion',
      type: 'pacer.activity.call_logged.v1',
      time: '2026-11-27T09:30:00+01:00',
      subject: 'rep-ana',
      datacontenttype: 'application/json',
      dataschema: 'urn:pacer:schema:pacer.activity.call_logged.v1',
      tenantid: 'acme',
      recordedtime: '2026-11-27T08:30:01.000Z',
      data,
    });
  });

  it('stamps recordedtime with the current instant by default', () => {
    const before = Date.now();
    const event = makeEvent('pacer.sprint.started.v1', {
      ...base,
      data: EVENT_EXAMPLES['pacer.sprint.started.v1'],
    });
    expect(Date.parse(event.recordedtime)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.recordedtime)).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ['pacer.roster.settings_updated.v1', '/pacer/sprint-planning', EXAMPLE_TENANT_ID],
    ['pacer.roster.team_created.v1', '/pacer/sprint-planning', 'team-emea'],
    ['pacer.roster.member_left.v1', '/pacer/sprint-planning', 'rep-sam'],
    ['pacer.sprint.commitment_set.v1', '/pacer/sprint-planning', 'spr-48'],
    ['pacer.sprint.items_carried_over.v1', '/pacer/sprint-planning', 'spr-49'],
    ['pacer.plan.version_created.v1', '/pacer/commission', 'plan-ae'],
    ['pacer.plan.quota_set.v1', '/pacer/commission', 'rep-ana'],
    ['pacer.commission.earned.v1', '/pacer/commission', 'rep-ana'],
    ['pacer.kpi.snapshot.v1', '/pacer/kpi-aggregation', 'rep-ana'],
  ] as const)('%s comes from %s and is about %s', (type, source, subject) => {
    const event = makeEvent(type, { ...base, tenantId: EXAMPLE_TENANT_ID, data: EVENT_EXAMPLES[type] });
    expect(event.source).toBe(source);
    expect(event.subject).toBe(subject);
  });

  it('refuses data with a field the type does not have', () => {
    const data = { ...EVENT_EXAMPLES['pacer.activity.email_sent.v1'], subjectLine: 'Hi' };
    const error = thrown(() => makeEvent('pacer.activity.email_sent.v1', { ...base, data }));
    expect(error.problems).toEqual([{ path: '/data/subjectLine', message: 'is not a field of this type' }]);
  });

  it('lists every problem of invalid data', () => {
    const data = { ...EVENT_EXAMPLES['pacer.activity.call_logged.v1'], outcome: 'busy', durationSec: -3 };
    const error = thrown(() => makeEvent('pacer.activity.call_logged.v1', { ...base, data } as never));
    expect(error.message).toBe(
      'invalid pacer.activity.call_logged.v1: /data/outcome must be one of connected, voicemail, no_answer; ' +
        '/data/durationSec must be >= 0',
    );
  });

  it.each([
    [{ id: '' }, '/id'],
    [{ tenantId: '' }, '/tenantid'],
    [{ time: '2026-11-27' }, '/time'],
    [{ recordedTime: 'now' }, '/recordedtime'],
  ])('refuses a bad envelope attribute %j', (patch, path) => {
    const input = { ...base, data: EVENT_EXAMPLES['pacer.sprint.closed.v1'], ...patch };
    expect(thrown(() => makeEvent('pacer.sprint.closed.v1', input)).problems.map((p) => p.path)).toEqual([
      path,
    ]);
  });

  it('skips only the data check when the caller says it validated the data', () => {
    const data = { ...EVENT_EXAMPLES['pacer.activity.email_sent.v1'] };
    const checked = makeEvent('pacer.activity.email_sent.v1', { ...base, data });
    expect(makeEvent('pacer.activity.email_sent.v1', { ...base, data }, { dataValidated: true })).toEqual(
      checked,
    );
    const extra = { ...data, subjectLine: 'Hi' };
    expect(() =>
      makeEvent('pacer.activity.email_sent.v1', { ...base, data: extra }, { dataValidated: true }),
    ).not.toThrow();
    const badEnvelope = { ...base, time: '2026-11-27', data };
    expect(
      thrown(() => makeEvent('pacer.activity.email_sent.v1', badEnvelope, { dataValidated: true })).problems,
    ).toEqual([{ path: '/time', message: expect.any(String) as string }]);
  });

  it('applies cross-field rules that need the tenant', () => {
    const snapshot = {
      ...EVENT_EXAMPLES['pacer.kpi.snapshot.v1'],
      scope: 'org' as const,
      scopeId: 'another-tenant',
    };
    const error = thrown(() => makeEvent('pacer.kpi.snapshot.v1', { ...base, data: snapshot }));
    expect(error.problems).toEqual([
      { path: '/data/scopeId', message: 'must be the tenant id for org scope' },
    ]);
  });
});

describe('makeEvent and parseCloudEvent (property)', () => {
  const nonEmpty = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

  it.each(EVENT_TYPES.map((type) => [type]))('%s: any valid event parses back equal', (type: EventType) => {
    const schema = definitionOf(type).schema;
    const input = nonEmpty.chain((tenantId) =>
      fc.record({
        tenantId: fc.constant(tenantId),
        id: nonEmpty,
        time: instantArbitrary,
        recordedTime: instantArbitrary,
        data: validDataArbitrary(type, schema, tenantId),
        asBuffer: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(input, ({ asBuffer, ...fields }) => {
        const event = makeEvent(type, fields as never);
        const text = JSON.stringify(event);
        const result = parseCloudEvent(asBuffer ? Buffer.from(text, 'utf8') : text);
        expect(result).toEqual({ ok: true, event });
      }),
      { numRuns: 60 },
    );
  });

  it('the generator itself covers optional fields and nulls', () => {
    const samples = fc.sample(arbitraryOf(definitionOf('pacer.activity.deal_won.v1').schema), 200);
    expect(samples.some((s) => typeof s === 'object' && s !== null && 'credits' in s)).toBe(true);
    expect(samples.some((s) => typeof s === 'object' && s !== null && !('credits' in s))).toBe(true);
  });
});
