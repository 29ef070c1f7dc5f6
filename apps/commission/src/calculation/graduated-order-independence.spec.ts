import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { applyPostings, ledgerTotal, LedgerBalance, planPostings } from './ledger-postings';
import { computeStatement } from './statement-calculator';
import type { DealFact } from './statement.types';

const Q1_START = Date.parse('2026-01-01T00:00:00Z');
const Q1_LENGTH = Date.parse('2026-04-01T00:00:00Z') - Q1_START;

const cents = (max: number) =>
  fc.integer({ min: 0, max }).map((c) => new Decimal(c).dividedBy(100).toFixed(2));

/** Random deals of one quarter; ids are unique, times may collide (dealId breaks the tie). */
const dealsArb = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      credit: cents(8_000_000),
      at: fc.integer({ min: 0, max: Q1_LENGTH - 1 }),
    }),
    { selector: (d) => d.id, minLength: 0, maxLength: 25 },
  )
  .map((list) =>
    list.map((d) =>
      deal(d.id, d.credit, { occurredAt: new Date(Q1_START + (d.at - (d.at % 3_600_000))).toISOString() }),
    ),
  );

const quotaArb = fc
  .integer({ min: 100, max: 20_000_000 })
  .map((c) => new Decimal(c).dividedBy(100).toFixed(2));

function shuffled<T>(items: readonly T[], order: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, k: order[i % order.length] ?? 0 }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.item);
}

describe('graduated commission does not depend on arrival order (property)', () => {
  const ctx = {
    currency: 'USD',
    voided: new Map<string, string>(),
    fallbackSourceIds: ['plan'],
    leftReason: 'test',
  };

  it('computes the same statement whatever order the deals are given in', () => {
    fc.assert(
      fc.property(
        dealsArb,
        quotaArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        (deals, quota, order) => {
          const a = computeStatement(statementInput(deals, { quota }));
          const b = computeStatement(statementInput(shuffled(deals, order), { quota }));
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ends with the same ledger total whatever order and batches the deals arrive in', () => {
    fc.assert(
      fc.property(
        dealsArb,
        quotaArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }),
        (deals, quota, order, batchSizes) => {
          const arrival = shuffled(deals, order);
          let seen: DealFact[] = [];
          let ledger = new Map<string, LedgerBalance>();
          let i = 0;
          let b = 0;
          while (i < arrival.length) {
            const size = batchSizes[b % batchSizes.length] ?? 1;
            seen = [...seen, ...arrival.slice(i, i + size)];
            i += size;
            b += 1;
            const statement = computeStatement(statementInput(seen, { quota }));
            const postings = planPostings(statement.lines, ledger, ctx);
            expect(ledgerTotal(ledger, postings).toFixed(2)).toBe(statement.total);
            ledger = applyPostings(ledger, statement.lines, postings);
          }
          const final = computeStatement(statementInput(deals, { quota }));
          expect(ledgerTotal(ledger, []).toFixed(2)).toBe(final.total);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pays a graduated period as the sum of its deals over the bands, within a cent per deal', () => {
    fc.assert(
      fc.property(dealsArb, quotaArb, (deals, quota) => {
        const plan = planVersion({ spiffs: [] });
        const statement = computeStatement(statementInput(deals, { quota, plan }));
        // Integrate the rate over [0, credited) exactly, as if the period were one deal.
        const q = new Decimal(quota);
        const bounds = [new Decimal(0), q.times(1).toDecimalPlaces(2), q.times(1.5).toDecimalPlaces(2)];
        const rates = ['0.05', '0.08', '0.10'];
        const credited = new Decimal(statement.credited);
        let exact = new Decimal(0);
        bounds.forEach((lo, k) => {
          const hi = bounds[k + 1] ?? credited;
          const part = Decimal.max(0, Decimal.min(credited, hi).minus(lo));
          exact = exact.plus(part.times(rates[k] as string));
        });
        const diff = new Decimal(statement.total).minus(exact).abs();
        expect(diff.lessThanOrEqualTo(new Decimal('0.005').times(deals.length))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
