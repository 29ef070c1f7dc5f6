import { InvalidEventError } from '@pacer/contracts';
import { DELTA_TYPES, LedgerBalance, LedgerPosting, planPostings } from '../calculation/ledger-postings';
import { asPriorPeriodAdjustments } from '../calculation/prior-period';
import type { BreakdownLine } from '../calculation/statement.types';
import { Dec } from '../calculation/decimal';
import { deltaEvent } from './commission-delta.factory';

// The delta builders add their fields to a shared head without a leading spread (a Node 20 cost, see
// deltaEvent): these hold the field order the spreads gave, since it is the JSON BI consumers read.

const ctx = {
  tenantId: 't1',
  repId: 'r1',
  periodKey: 'FY2026-Q1',
  planId: 'ae',
  planVersion: 2,
  postedAt: '2026-02-01T00:00:00.000Z',
};
const SHARED = [
  'repId',
  'periodKey',
  'planId',
  'planVersion',
  'lineId',
  'amount',
  'currency',
  'sourceEventIds',
];

function posting(type: LedgerPosting['type'], extra: Partial<LedgerPosting> = {}): LedgerPosting {
  return {
    lineId: 'deal:d1',
    appliesTo: 'deal:d1',
    type,
    kind: 'deal',
    amount: '12.34',
    currency: 'USD',
    sourceEventIds: ['e1'],
    credit: '100.00',
    bands: [{ from: '0', to: null, rate: '0.05', credit: '100.00' }],
    spiffId: 'club',
    metric: 'quotaAttainment',
    threshold: '1.00',
    cap: '5000.00',
    closedPeriodKey: 'FY2025-Q4',
    adjustedBy: 'admin',
    ...extra,
  };
}

const dataKeys = (p: LedgerPosting): string[] => Object.keys(deltaEvent(p, ctx).data as object);

describe('delta event data keeps the contract field order', () => {
  it.each([
    [DELTA_TYPES.earned, { dealId: 'd1' }, ['dealId', 'credit', 'bands']],
    [DELTA_TYPES.earned, { dealId: 'd1', note: 'n' }, ['note', 'dealId', 'credit', 'bands']],
    [DELTA_TYPES.adjusted, {}, ['reason']],
    [
      DELTA_TYPES.adjusted,
      { note: 'n', dealId: 'd1', reason: 'retroactive_tier' },
      ['note', 'dealId', 'reason'],
    ],
    [DELTA_TYPES.spiff, {}, ['spiffId', 'metric', 'threshold']],
    [DELTA_TYPES.spiff, { note: 'n', dealId: 'd1' }, ['note', 'dealId', 'spiffId', 'metric', 'threshold']],
    [DELTA_TYPES.cap, { note: 'n' }, ['note', 'cap']],
    [DELTA_TYPES.clawback, { dealId: 'd1' }, ['dealId']],
    [DELTA_TYPES.priorPeriod, { dealId: 'd1' }, ['dealId', 'closedPeriodKey', 'appliesTo', 'reason']],
    [DELTA_TYPES.priorPeriod, { note: 'n' }, ['note', 'closedPeriodKey', 'appliesTo', 'reason']],
    [DELTA_TYPES.manual, { reason: 'r' }, ['reason', 'adjustedBy']],
    [
      DELTA_TYPES.manual,
      { reason: 'r', note: 'n', disputeId: 'dp1' },
      ['note', 'reason', 'adjustedBy', 'disputeId'],
    ],
  ] as const)('%s %j', (type, extra, tail) => {
    expect(dataKeys(posting(type, extra))).toEqual([...SHARED, ...tail]);
  });

  it('is still checked against the contract', () => {
    // An earned line without its deal id breaks the schema: makeEvent refuses it as before.
    expect(() => deltaEvent(posting(DELTA_TYPES.earned), ctx)).toThrow(InvalidEventError);
  });
});

describe('postings keep their field order', () => {
  const line = (
    l: Partial<BreakdownLine> & Pick<BreakdownLine, 'lineId' | 'kind' | 'amount'>,
  ): BreakdownLine => ({ sourceEventIds: [`s-${l.lineId}`], ...l });
  const balance = (
    baseLineId: string,
    amount: string,
    extra: Partial<LedgerBalance> = {},
  ): LedgerBalance => ({
    baseLineId,
    kind: 'deal',
    postings: 1,
    byCurrency: new Map([['USD', new Dec(amount)]]),
    ...extra,
  });
  const postingsOf = (lines: BreakdownLine[], held: LedgerBalance[] = []): LedgerPosting[] =>
    planPostings(lines, new Map(held.map((b) => [b.baseLineId, b])), {
      currency: 'USD',
      voided: new Map(),
      fallbackSourceIds: ['f'],
      leftReason: 'gone.',
    });

  it('a first deal line, a retroactive line, a SPIFF and a cap, in the order the spreads gave', () => {
    const out = postingsOf([
      line({
        lineId: 'deal:a',
        kind: 'deal',
        dealId: 'a',
        credit: '10.00',
        amount: '1.00',
        bands: [{ from: '0', to: null, rate: '0.1', credit: '10.00' }],
        status: 'credited',
        note: 'n',
      }),
      line({
        lineId: 'retro:1',
        kind: 'retroactive_adjustment',
        amount: '3.00',
        fromRate: '0.05',
        toRate: '0.08',
      }),
      line({
        lineId: 'spiff:club',
        kind: 'spiff',
        spiffId: 'club',
        metric: 'quotaAttainment',
        threshold: '1.00',
        amount: '1000.00',
      }),
      line({ lineId: 'cap', kind: 'cap', cap: '500.00', amount: '-5.00' }),
    ]);
    const base = ['lineId', 'appliesTo', 'currency', 'sourceEventIds'];
    expect(out.map((p) => Object.keys(p))).toEqual([
      [...base, 'dealId', 'credit', 'bands', 'type', 'kind', 'amount', 'note'],
      [...base, 'fromRate', 'toRate', 'type', 'kind', 'reason', 'amount'],
      [...base, 'spiffId', 'metric', 'threshold', 'type', 'kind', 'amount'],
      [...base, 'cap', 'type', 'kind', 'amount'],
    ]);
  });

  it('a changed deal line is an adjustment; a prior-period booking keeps the posting order and adds its own', () => {
    const [adjusted] = postingsOf(
      [
        line({
          lineId: 'deal:a',
          kind: 'deal',
          dealId: 'a',
          credit: '10.00',
          amount: '2.00',
          status: 'credited',
        }),
      ],
      [balance('deal:a', '1.00', { dealId: 'a' })],
    );
    const base = ['lineId', 'appliesTo', 'currency', 'sourceEventIds', 'dealId', 'credit'];
    expect(Object.keys(adjusted as LedgerPosting)).toEqual([
      ...base,
      'type',
      'kind',
      'reason',
      'amount',
      'note',
    ]);
    const [booked] = asPriorPeriodAdjustments([adjusted as LedgerPosting], 'FY2025-Q4', 'FY2026-Q1', ['c1']);
    expect(Object.keys(booked as LedgerPosting)).toEqual([
      ...base,
      'type',
      'kind',
      'reason',
      'amount',
      'note',
      'closedPeriodKey',
    ]);
    expect(booked).toMatchObject({
      lineId: expect.stringContaining('FY2025-Q4'),
      type: DELTA_TYPES.priorPeriod,
      kind: 'prior_period_adjustment',
      sourceEventIds: ['c1', 's-deal:a'],
    });
  });
});
