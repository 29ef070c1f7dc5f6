import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { PlanSpiff } from '@pacer/contracts';
import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement, extendStatement } from './statement-calculator';
import type { BreakdownLine, DealFact } from './statement.types';

const cents = (max: number) =>
  fc.integer({ min: 0, max }).map((c) => new Decimal(c).dividedBy(100).toFixed(2));
const dealsArb = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 5 }),
      credit: cents(6_000_000),
      hour: fc.nat(2000),
      primary: fc.boolean(),
    }),
    { selector: (d) => d.id, maxLength: 25 },
  )
  .map((raw) =>
    raw.map((d) =>
      deal(d.id, d.credit, {
        occurredAt: new Date(Date.parse('2026-01-01T00:00:00Z') + d.hour * 3_600_000).toISOString(),
        primaryRepId: d.primary ? 'r1' : 'r2',
      }),
    ),
  );
const spiffsArb = fc.subarray<PlanSpiff>([
  { id: 'club', metric: 'quotaAttainment', threshold: '1.00', amount: '1000.00' },
  { id: 'big', metric: 'revenueWon', threshold: '150000', amount: '500.00' },
  { id: 'five', metric: 'dealsWon', threshold: '5', amount: '250.00' },
]);

function sorted(deals: DealFact[]): DealFact[] {
  return [...deals].sort(
    (a, b) =>
      Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
      (a.dealId < b.dealId ? -1 : a.dealId > b.dealId ? 1 : 0),
  );
}

describe('extending a period by later deals equals computing it whole (property)', () => {
  it('gives the same lines, totals and checkpoint for graduated plans and periods without quota', () => {
    fc.assert(
      fc.property(
        dealsArb,
        spiffsArb,
        fc.option(cents(3_000_000), { nil: null }),
        fc.option(fc.constantFrom('100000.00', '80000.00', '250000.50'), { nil: null }),
        fc.constantFrom('graduated' as const, 'retroactive' as const),
        fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
        (deals, spiffs, cap, quota, tierMode, cuts) => {
          fc.pre(tierMode === 'graduated' || quota === null);
          const plan = planVersion({ spiffs, cap, tierMode });
          const all = sorted(deals);
          const [a, b] = cuts
            .map((c) => (all.length === 0 ? 0 : c % (all.length + 1)))
            .sort((x, y) => x - y) as [number, number];
          const whole = computeStatement(statementInput(all, { plan, quota }));
          const first = computeStatement(statementInput(all.slice(0, a), { plan, quota }));
          expect(first.checkpoint).not.toBeNull();
          const second = extendStatement(statementInput(all.slice(a, b), { plan, quota }), first.checkpoint!);
          expect(second).toBeDefined();
          const third = extendStatement(statementInput(all.slice(b), { plan, quota }), second!.checkpoint);
          expect(third).toBeDefined();
          const lines: BreakdownLine[] = [
            ...first.lines.slice(0, first.headCount),
            ...second!.head,
            ...third!.head,
            ...third!.tail,
          ];
          expect(lines).toEqual(whole.lines);
          expect({ total: third!.total, credited: third!.credited, attainment: third!.attainment }).toEqual({
            total: whole.total,
            credited: whole.credited,
            attainment: whole.attainment,
          });
          expect(third!.checkpoint).toEqual(whole.checkpoint);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses what could change an earlier line, so the caller computes the period whole', () => {
    const base = computeStatement(
      statementInput([deal('A', '1000.00', { occurredAt: '2026-02-01T00:00:00Z' })]),
    );
    const cp = base.checkpoint!;
    const later = (extra: Partial<DealFact>) => [
      deal('B', '10.00', { occurredAt: '2026-03-01T00:00:00Z', ...extra }),
    ];
    expect(extendStatement(statementInput(later({})), cp)).toBeDefined();
    expect(
      extendStatement(statementInput(later({ occurredAt: '2026-01-15T00:00:00Z' })), cp),
    ).toBeUndefined();
    expect(extendStatement(statementInput(later({ currency: 'EUR' })), cp)).toBeUndefined();
    expect(
      extendStatement(
        statementInput(
          later({ cancellation: { activityId: 'c', eventId: 'c', occurredAt: '2026-03-02T00:00:00Z' } }),
        ),
        cp,
      ),
    ).toBeUndefined();
    const requota = { ...statementInput(later({})), quota: { amount: '1.00', eventId: 'quota-set-again' } };
    expect(extendStatement(requota, cp)).toBeUndefined();
    expect(extendStatement(statementInput(later({}), { plan: planVersion({}, 2) }), cp)).toBeUndefined();
    expect(
      computeStatement(statementInput([], { plan: planVersion({ tierMode: 'retroactive' }) })).checkpoint,
    ).toBeNull();
  });
});
