import { ACTIVITY_KINDS, activityEventType, type ActivityKind, type DealWonData } from './activity-events';
import { EVENT_EXAMPLES } from './event-examples';
import { EVENT_REGISTRY } from './event-registry';
import { validateEventData, type ValidationMode } from './event-validator';

const TENANT = 'acme';

function problems(kind: ActivityKind, data: unknown, mode: ValidationMode = 'consumer') {
  return validateEventData(activityEventType(kind), data, { tenantId: TENANT, mode });
}

function example(kind: ActivityKind): Record<string, unknown> {
  return { ...EVENT_EXAMPLES[activityEventType(kind)] };
}

function dealWon(overrides: Partial<DealWonData>): DealWonData {
  return { ...EVENT_EXAMPLES['pacer.activity.deal_won.v1'], ...overrides };
}

describe('activity kinds', () => {
  it('are the ten kinds of SPEC §3, each with its own event type', () => {
    expect(ACTIVITY_KINDS).toHaveLength(10);
    for (const kind of ACTIVITY_KINDS) {
      expect(EVENT_REGISTRY[activityEventType(kind)].schema.properties.kind.const).toBe(kind);
    }
  });
});

describe.each(ACTIVITY_KINDS)('%s', (kind) => {
  const schema = EVENT_REGISTRY[activityEventType(kind)].schema;

  it('accepts the example in both modes', () => {
    expect(problems(kind, example(kind))).toEqual([]);
    expect(problems(kind, example(kind), 'producer')).toEqual([]);
  });

  it.each(schema.required ?? [])('requires %s', (field) => {
    const data = example(kind);
    delete data[field];
    expect(problems(kind, data)).toEqual([{ path: `/${field}`, message: 'is required' }]);
  });

  it('rejects data of another kind', () => {
    const other = ACTIVITY_KINDS.find((k) => k !== kind) ?? kind;
    expect(problems(kind, { ...example(kind), kind: other })).toEqual([
      { path: '/kind', message: `must be "${kind}"` },
    ]);
  });

  it('rejects an occurredAt without offset', () => {
    expect(problems(kind, { ...example(kind), occurredAt: '2026-11-27T09:30:00' })[0].path).toBe(
      '/occurredAt',
    );
  });

  it('tolerates unknown fields as a consumer and rejects them as a producer', () => {
    const data = { ...example(kind), crmSyncedAt: '2026-11-27T09:30:00Z' };
    expect(problems(kind, data)).toEqual([]);
    expect(problems(kind, data, 'producer')).toEqual([
      { path: '/crmSyncedAt', message: 'is not a field of this type' },
    ]);
  });
});

describe('kind-specific fields', () => {
  it.each([
    ['call_logged', { outcome: 'busy' }, '/outcome'],
    ['call_logged', { durationSec: -1 }, '/durationSec'],
    ['call_logged', { durationSec: 1.5 }, '/durationSec'],
    ['call_logged', { durationSec: '60' }, '/durationSec'],
    ['meeting_scheduled', { scheduledFor: '2026-12-02' }, '/scheduledFor'],
    ['meeting_held', { meetingId: '' }, '/meetingId'],
    ['lead_created', { source: 42 }, '/source'],
    ['opportunity_stage_changed', { toStage: '' }, '/toStage'],
    ['deal_won', { openedAt: 'yesterday' }, '/openedAt'],
    ['deal_won', { products: [{ quantity: 2 }] }, '/products/0/productId'],
    ['deal_won', { products: [{ productId: 'p', quantity: 0 }] }, '/products/0/quantity'],
    ['deal_lost', { reason: null }, '/reason'],
    ['deal_cancelled', { dealId: 7 }, '/dealId'],
  ] as const)('%s rejects %j', (kind, patch, path) => {
    expect(problems(kind, { ...example(kind), ...patch }).map((p) => p.path)).toEqual([path]);
  });

  it('keeps optional fields optional', () => {
    const { source: _source, ...lead } = EVENT_EXAMPLES['pacer.activity.lead_created.v1'];
    expect(problems('lead_created', lead)).toEqual([]);
    const { openedAt: _o, credits: _c, products: _p, ...deal } = EVENT_EXAMPLES['pacer.activity.deal_won.v1'];
    expect(problems('deal_won', deal)).toEqual([]);
  });
});

describe('money and currency', () => {
  it.each(['0', '1250', '1250.5', '1250.00', '0.01', '99999999999.99'])('accepts amount %s', (amount) => {
    expect(problems('opportunity_created', { ...example('opportunity_created'), amount })).toEqual([]);
  });

  it.each([
    ['1250.505'],
    ['-5.00'],
    ['01250'],
    ['1,250.00'],
    ['1e3'],
    ['.5'],
    ['5.'],
    [''],
    [' 5'],
    [1250],
    [null],
  ])('rejects amount %j', (amount) => {
    const found = problems('opportunity_created', { ...example('opportunity_created'), amount });
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe('/amount');
  });

  it('says what a money string looks like', () => {
    expect(problems('deal_won', dealWon({ amount: '12.345' }))).toEqual([
      {
        path: '/amount',
        message: 'must be a non-negative decimal string with at most 2 fraction digits, e.g. "1250.00"',
      },
    ]);
  });

  it.each(['usd', 'US', 'USDX', '840', ''])('rejects currency %j', (currency) => {
    expect(problems('deal_won', dealWon({ currency }))).toEqual([
      { path: '/currency', message: 'must be an ISO 4217 currency code, e.g. "USD"' },
    ]);
  });
});

describe('instants', () => {
  it.each([
    '2026-11-27T09:30:00Z',
    '2026-11-27T09:30:00.123+05:30',
    '2026-11-27T09:30:00-08:00',
    '2024-02-29T23:59:59.999999999Z',
  ])('accepts %s', (occurredAt) => {
    expect(problems('email_sent', { ...example('email_sent'), occurredAt })).toEqual([]);
  });

  it.each([
    '2026-11-27T09:30:00',
    '2026-11-27 09:30:00Z',
    '2026-11-27t09:30:00z',
    '2026-11-27T09:30:00+0100',
    '2026-02-30T09:30:00Z',
    '2026-11-27T25:00:00Z',
    '2026-11-27',
    'Fri, 27 Nov 2026 09:30:00 GMT',
    1795771800000,
  ])('rejects %j', (occurredAt) => {
    expect(problems('email_sent', { ...example('email_sent'), occurredAt })).toEqual([
      { path: '/occurredAt', message: expect.stringMatching(/instant with offset|must be string/) },
    ]);
  });
});

describe('deal credits', () => {
  it('accepts shares that sum to exactly 1', () => {
    const credits = [
      { repId: 'a', share: '0.3334' },
      { repId: 'b', share: '0.3333' },
      { repId: 'c', share: '0.3333' },
    ];
    expect(problems('deal_won', dealWon({ credits }))).toEqual([]);
    expect(problems('deal_won', dealWon({ credits: [{ repId: 'a', share: '1.00' }] }))).toEqual([]);
  });

  it('rejects shares that do not sum to 1', () => {
    const credits = [
      { repId: 'a', share: '0.5' },
      { repId: 'b', share: '0.4' },
    ];
    expect(problems('deal_won', dealWon({ credits }))).toEqual([
      { path: '/credits', message: 'shares must sum to exactly 1 (they sum to 0.9)' },
    ]);
  });

  it('rejects a rep credited twice', () => {
    const credits = [
      { repId: 'a', share: '0.5' },
      { repId: 'a', share: '0.5' },
    ];
    expect(problems('deal_won', dealWon({ credits }))).toEqual([
      { path: '/credits', message: 'must name each rep at most once' },
    ]);
  });

  it.each(['0', '0.0', '1.01', '2', '-0.5', '0.5.5'])('rejects share %j', (share) => {
    expect(problems('deal_won', dealWon({ credits: [{ repId: 'a', share }] }))[0]).toEqual({
      path: '/credits/0/share',
      message: 'must be a decimal string in (0, 1], e.g. "0.5"',
    });
  });

  it('rejects an empty credits list (omit it to credit the primary rep)', () => {
    expect(problems('deal_won', dealWon({ credits: [] }))[0].path).toBe('/credits');
  });
});

describe('pacer.activity.voided.v1', () => {
  const type = 'pacer.activity.voided.v1';
  const voided = EVENT_EXAMPLES[type];
  const check = (data: unknown) => validateEventData(type, data, { tenantId: TENANT });

  it('carries the voided activity so a consumer can retract it without state', () => {
    expect(check(voided)).toEqual([]);
    expect(voided.voidedActivity.kind).toBe(voided.voidedKind);
  });

  it.each([
    [{ voidedKind: 'deal_lost' }, '/voidedActivity/kind'],
    [{ voidedOccurredAt: '2026-01-01T00:00:00Z' }, '/voidedActivity/occurredAt'],
    [{ activityId: 'act-other' }, '/voidedActivity/activityId'],
    [{ repId: 'rep-other' }, '/voidedActivity/repId'],
  ])('rejects a copy that does not match: %j', (patch, path) => {
    expect(check({ ...voided, ...patch })).toEqual([{ path, message: expect.stringMatching(/^must equal/) }]);
  });

  it('explains an invalid copy by its own kind', () => {
    const copy = { ...voided.voidedActivity, amount: 'lots' };
    expect(check({ ...voided, voidedActivity: copy })).toEqual([
      {
        path: '/voidedActivity/amount',
        message: 'must be a non-negative decimal string with at most 2 fraction digits, e.g. "1250.00"',
      },
    ]);
    expect(check({ ...voided, voidedActivity: { ...copy, kind: 'deal_signed' } })[0]).toEqual({
      path: '/voidedActivity/kind',
      message: expect.stringMatching(/^must be one of call_logged, .*deal_cancelled$/),
    });
  });

  it('requires a reason', () => {
    expect(check({ ...voided, reason: '' })[0].path).toBe('/reason');
  });
});
